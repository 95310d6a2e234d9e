import Foundation

/// Everything one `rehearse verify` found, in the order the suites were planned.
public struct RunReport: Sendable, Equatable, Codable {
    public let suites: [SuiteReport]
    public let startedAt: Date
    public let duration: Double
    /// What kept the run from rehearsing (input or environment errors); empty when it ran.
    public let errors: [RunError]

    public init(suites: [SuiteReport], startedAt: Date, duration: Double, errors: [RunError] = []) {
        self.suites = suites
        self.startedAt = startedAt
        self.duration = duration
        self.errors = errors
    }

    public var total: Int { suites.reduce(0) { $0 + $1.results.count } }
    public var failures: Int { suites.reduce(0) { $0 + $1.failures } }
    /// Checks that failed because the machine did (a lost server, a full disk): the run exits 2, not 1.
    public var environmentErrors: Int { suites.reduce(0) { $0 + $1.environmentErrors } }
    public var skipped: Int { suites.reduce(0) { $0 + $1.skipped } }
    public var passed: Int { suites.reduce(0) { $0 + $1.passed } }
    public var succeeded: Bool { failures == 0 && errors.isEmpty }
}
