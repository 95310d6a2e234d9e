import Foundation

/// Runs the checks of one subject in order, timing each, turning thrown errors into failures, and
/// reporting each result as it finishes.
final class CheckRecorder {
    /// What a check body decides.
    struct Verdict {
        var outcome: CheckResult.Outcome
        var notes: [String] = []

        static let passed = Verdict(outcome: .passed)

        static func failed(_ message: String, _ details: String, notes: [String] = []) -> Verdict {
            Verdict(outcome: .failed(message: message, details: details), notes: notes)
        }

        static func skipped(_ reason: String) -> Verdict {
            Verdict(outcome: .skipped(reason: reason))
        }
    }

    let subject: MigrationSubject
    private(set) var results: [CheckResult] = []
    private let report: @Sendable (CheckResult) -> Void

    init(subject: MigrationSubject, report: @escaping @Sendable (CheckResult) -> Void) {
        self.subject = subject
        self.report = report
    }

    /// Runs `body` as `check`; returns whether it passed.
    @discardableResult
    func run(_ check: Check, _ body: () throws -> Verdict) -> Bool {
        let start = Date()
        let verdict: Verdict
        do {
            verdict = try body()
        } catch {
            verdict = Self.verdict(for: error)
        }
        record(check, verdict, duration: Date().timeIntervalSince(start))
        if case .passed = verdict.outcome { return true }
        return false
    }

    func skip(_ checks: [Check], _ reason: String) {
        for check in checks { record(check, .skipped(reason), duration: 0) }
    }

    private func record(_ check: Check, _ verdict: Verdict, duration: Double) {
        let result = CheckResult(subject: subject, check: check, outcome: verdict.outcome, duration: duration, notes: verdict.notes)
        results.append(result)
        report(result)
    }

    /// A thrown error is a failed check: a script error shows where and what the server said.
    static func verdict(for error: Error) -> Verdict {
        let details = "\(error)"
        let firstLine = details.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? details
        return .failed(firstLine, details)
    }
}
