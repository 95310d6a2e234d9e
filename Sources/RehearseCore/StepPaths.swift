import Foundation

/// How a suite's subjects were rehearsed: inside one transaction on the walking database (the fast path), there
/// first and then again on copies because a check did not pass (the copies decide the verdict), or on copies only.
///
/// Not part of any verdict; `--verbose` prints it, and tests use it to prove the fast path ran.
public struct StepPaths: Sendable, Equatable, Codable {
    public var inOneTransaction = 0
    public var rerunOnCopies = 0
    public var onCopies = 0
    /// Why subjects ran on copies only, with how many (`CREATE INDEX CONCURRENTLY` → 3).
    public var obstacles: [String: Int] = [:]

    public init() {}

    public var isEmpty: Bool { inOneTransaction + rerunOnCopies + onCopies == 0 }

    /// `12 in one transaction, 1 again on copies after a failure, 2 on copies (CREATE INDEX CONCURRENTLY: 2)`.
    public var summary: String {
        var parts = ["\(inOneTransaction) in one transaction"]
        if rerunOnCopies > 0 { parts.append("\(rerunOnCopies) again on copies after a check did not pass") }
        if onCopies > 0 {
            let reasons = obstacles.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
            parts.append("\(onCopies) on copies" + (reasons.isEmpty ? "" : " (\(reasons))"))
        }
        return parts.joined(separator: ", ")
    }
}

/// Counts ``StepPaths`` from the subjects' threads.
final class StepPathCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var paths = StepPaths()

    func inOneTransaction() { lock.withLock { paths.inOneTransaction += 1 } }
    func rerunOnCopies() { lock.withLock { paths.rerunOnCopies += 1 } }
    func onCopies(_ reason: String?) {
        lock.withLock {
            paths.onCopies += 1
            if let reason { paths.obstacles[reason, default: 0] += 1 }
        }
    }

    var value: StepPaths { lock.withLock { paths } }
}
