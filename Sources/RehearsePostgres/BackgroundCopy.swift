import Foundation
import RehearseCore

/// The background thread of one run that makes the next run's spare copy of the cached cluster
/// (``PostgresClusterCache/makeSpare(_:shouldStop:)``) while this run's checks use the server.
final class SpareCopy: @unchecked Sendable {
    private let lock = NSLock()
    private var stopping = false
    private let done = DispatchSemaphore(value: 0)

    /// Starts making a spare of `key`'s entry in `cache`, at background priority.
    init(cache: PostgresClusterCache, key: PostgresClusterCache.Key) {
        let thread = Thread { [self] in
            cache.makeSpare(key) { [self] in lock.withLock { stopping } }
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
