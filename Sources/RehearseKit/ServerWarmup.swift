import Foundation
import RehearseCore

/// The servers of one run, each started once on a thread of its own, so that a disposable server can start while
/// the repository's scripts are still being parsed (``Rehearsal/rehearse(_:planned:notice:progress:)``).
///
/// Whoever made it calls ``shutdownAll()`` on every path: it waits for starts still under way and stops every
/// engine, used or not.
final class ServerWarmup: @unchecked Sendable {
    /// One start's outcome, and when it was ready.
    struct Started: Sendable {
        let result: Result<any DatabaseEngine, EnvironmentError>
        /// How long the start itself took.
        let duration: TimeInterval
        /// Seconds from the start of this process to a ready server (nil where the system does not say).
        let sinceProcessStart: TimeInterval?
    }

    private let lock = NSLock()
    // Guarded by `lock`.
    private var starts: [DatabaseKind: DispatchGroup] = [:]
    private var outcomes: [DatabaseKind: Started] = [:]
    private var isShutDown = false

    /// Starts `database`'s server with `body` on its own thread, unless it was started already.
    func start(_ database: DatabaseKind, _ body: @escaping @Sendable () -> Result<any DatabaseEngine, EnvironmentError>) {
        let group = DispatchGroup()
        let fresh = lock.withLock {
            guard starts[database] == nil, !isShutDown else { return false }
            starts[database] = group
            return true
        }
        guard fresh else { return }
        group.enter()
        Thread.detachNewThread { [self] in
            let began = Date()
            let result = body()
            let started = Started(result: result, duration: Date().timeIntervalSince(began), sinceProcessStart: ProcessClock.secondsSinceStart())
            let stopNow = lock.withLock {
                outcomes[database] = started
                return isShutDown
            }
            if stopNow, case let .success(engine) = result { engine.shutdown() }
            group.leave()
        }
    }

    /// Whether `database`'s server was started (it may still be starting).
    func isStarted(_ database: DatabaseKind) -> Bool {
        lock.withLock { starts[database] != nil }
    }

    /// The outcome of `database`'s start, once it is known; nil when it was never started.
    func outcome(_ database: DatabaseKind) async -> Started? {
        guard let group = lock.withLock({ starts[database] }) else { return nil }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            group.notify(queue: .global()) { continuation.resume() }
        }
        return lock.withLock { outcomes[database] }
    }

    /// Waits for every start under way, then stops every engine. Safe to call twice.
    func shutdownAll() {
        let groups = lock.withLock {
            isShutDown = true
            return Array(starts.values)
        }
        for group in groups { group.wait() }
        let engines = lock.withLock { outcomes.values.compactMap { try? $0.result.get() } }
        for engine in engines { engine.shutdown() }
    }
}
