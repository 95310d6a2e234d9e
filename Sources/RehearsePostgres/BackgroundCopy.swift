import Foundation
import RehearseCore

/// A background thread of one run that copies cache files while the run's checks use the server: the next run's
/// spare copy of the cached cluster (``PostgresClusterCache/makeSpare(_:shouldStop:)``), or a new pristine cluster
/// into a cache on another file system (``PostgresClusterCache/store(_:key:replacing:shouldStop:)``).
final class BackgroundCopy: @unchecked Sendable {
    private let lock = NSLock()
    private var stopping = false
    private let done = DispatchSemaphore(value: 0)

    /// Starts `work` at background priority; it gives up, removing what it copied, once its argument says so.
    init(_ work: @escaping @Sendable (_ shouldStop: @escaping @Sendable () -> Bool) -> Void) {
        let thread = Thread { [self] in
            work { [self] in lock.withLock { stopping } }
            done.signal()
        }
        thread.qualityOfService = .background
        thread.start()
    }

    /// Waits for the copy; `stopNow` (an interrupt) makes it give up first, removing what it copied.
    func finish(stopNow: Bool) {
        if stopNow { lock.withLock { stopping = true } }
        done.wait()
        done.signal()
    }
}
