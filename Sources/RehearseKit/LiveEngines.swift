import Foundation
import RehearseCore

/// The engines one ``Rehearsal/run(progress:)`` has started, so that a task cancellation can stop them.
///
/// Cancellation arrives on another thread while the run awaits its suites; an engine started after it is
/// stopped as soon as it is added.
final class LiveEngines: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`.
    private var engines: [any DatabaseEngine] = []
    private var cancelled = false

    func add(_ engine: any DatabaseEngine) {
        let stopNow = lock.withLock {
            engines.append(engine)
            return cancelled
        }
        if stopNow { engine.shutdown() }
    }

    /// Stops every engine started so far, and any started later. Servers are stopped when this returns.
    func cancel() {
        let started = lock.withLock {
            cancelled = true
            return engines
        }
        for engine in started { engine.shutdown() }
    }
}
