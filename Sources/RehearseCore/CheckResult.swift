import Foundation

/// The outcome of one check on one subject.
public struct CheckResult: Sendable, Equatable, Codable {
    public enum Outcome: Sendable, Equatable, Codable {
        case passed
        /// What failed and where (file, line, SQLSTATE, the readable diff).
        case failed(CheckFailure)
        case skipped(reason: String)
    }

    public let subject: MigrationSubject
    public let check: Check
    public let outcome: Outcome
    /// Wall-clock seconds the check took.
    public let duration: Double
    /// Things worth reading that do not fail the check (column order, server notices, weaker checks).
    public let notes: [String]
    /// What `safety` measured: each forward statement's locks and rewrites (the JSON report's `locks`).
    public var locks: LockObservation?

    public init(subject: MigrationSubject, check: Check, outcome: Outcome, duration: Double = 0, notes: [String] = []) {
        self.subject = subject
        self.check = check
        self.outcome = outcome
        self.duration = duration
        self.notes = notes
    }

    /// `install v1.1.0: forward`, the JUnit test case name.
    public var name: String { "\(subject): \(check.rawValue)" }

    public var isFailure: Bool {
        if case .failed = outcome { return true }
        return false
    }

    /// The failure, when the check failed.
    public var failure: CheckFailure? {
        if case let .failed(failure) = outcome { return failure }
        return nil
    }

    public var isSkipped: Bool {
        if case .skipped = outcome { return true }
        return false
    }
}
