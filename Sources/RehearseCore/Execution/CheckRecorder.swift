import Foundation

/// What a check body decides.
public struct Verdict: Sendable {
    public var outcome: CheckResult.Outcome
    public var notes: [String] = []
    /// What `safety` measured, for the reports.
    public var locks: LockObservation?

    /// The failure, when the verdict is one.
    public var failure: CheckFailure? {
        if case let .failed(failure) = outcome { return failure }
        return nil
    }

    public static let passed = Verdict(outcome: .passed)

    public static func failed(_ message: String, _ details: String, file: String? = nil, notes: [String] = []) -> Verdict {
        Verdict(outcome: .failed(CheckFailure(message: message, file: file, details: details)), notes: notes)
    }

    public static func failed(_ failure: CheckFailure, notes: [String] = []) -> Verdict {
        Verdict(outcome: .failed(failure), notes: notes)
    }

    public static func skipped(_ reason: String) -> Verdict {
        Verdict(outcome: .skipped(reason: reason))
    }

    public static func passed(notes: [String]) -> Verdict {
        Verdict(outcome: .passed, notes: notes)
    }
}

/// Runs the checks of one subject in order, timing each, turning thrown errors into failures, and
/// reporting each result as it finishes.
final class CheckRecorder {
    let subject: MigrationSubject
    private(set) var results: [CheckResult] = []
    private let report: @Sendable (CheckResult) -> Void

    init(subject: MigrationSubject, report: @escaping @Sendable (CheckResult) -> Void) {
        self.subject = subject
        self.report = report
    }

    /// Runs `body` as `check`; returns the outcome.
    @discardableResult
    func run(_ check: Check, _ body: () throws -> Verdict) -> CheckResult.Outcome {
        let start = Date()
        let verdict: Verdict
        do {
            verdict = try body()
        } catch {
            verdict = Self.verdict(for: error)
        }
        record(check, verdict, duration: Date().timeIntervalSince(start))
        return verdict.outcome
    }

    /// Adds a result that the caller reports itself.
    func appendUnreported(_ result: CheckResult) {
        results.append(result)
    }

    func skip(_ check: Check, _ reason: String) {
        record(check, .skipped(reason), duration: 0)
    }

    private func record(_ check: Check, _ verdict: Verdict, duration: Double) {
        var result = CheckResult(subject: subject, check: check, outcome: verdict.outcome, duration: duration, notes: verdict.notes)
        result.locks = verdict.locks
        results.append(result)
        report(result)
    }

    /// A thrown error is a failed check: a script error shows where and what the server said.
    static func verdict(for error: any Error) -> Verdict {
        switch error {
        case let failure as ScriptFailure:
            return .failed(CheckFailure(failure))
        case let step as StepFailure:
            if let failure = step.innermostScriptFailure {
                return .failed(CheckFailure(failure, context: step.contexts.joined(separator: ": ")))
            }
            fallthrough
        default:
            let details = "\(error)"
            let firstLine = details.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? details
            var failure = CheckFailure(message: firstLine, details: details)
            failure.isEnvironmental = Self.isEnvironmental(error)
            return .failed(failure)
        }
    }

    /// An ``EnvironmentError`` anywhere in the chain of contexts: the scratch database could not be made, …
    static func isEnvironmental(_ error: any Error) -> Bool {
        switch error {
        case is EnvironmentError: true
        case let step as StepFailure: isEnvironmental(step.underlying)
        case let failure as ScriptFailure: failure.isEnvironmental
        default: false
        }
    }
}
