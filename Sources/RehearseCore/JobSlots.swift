import Foundation

/// How many installs or upgrades may run at once across every suite of a run (`--jobs`), handed out first come,
/// first served, so that suites rehearsed side by side together stay within the bound one suite alone keeps.
public final class JobSlots: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`.
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(_ count: Int) {
        free = max(1, count)
    }

    /// Waits for a free slot and takes it; the caller gives it back with ``release()``.
    public func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = lock.withLock {
                if free > 0 {
                    free -= 1
                    return true
                }
                waiting.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Gives a slot back, to the longest waiter if there is one.
    public func release() {
        let next: CheckedContinuation<Void, Never>? = lock.withLock {
            guard !waiting.isEmpty else {
                free += 1
                return nil
            }
            return waiting.removeFirst()
        }
        next?.resume()
    }
}
