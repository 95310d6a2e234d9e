import Foundation

/// Everything one `rehearse verify` found, in the order the suites were planned.
public struct RunReport: Sendable, Equatable, Codable {
    public let suites: [SuiteReport]
    public let startedAt: Date
    public let duration: Double

    public init(suites: [SuiteReport], startedAt: Date, duration: Double) {
        self.suites = suites
        self.startedAt = startedAt
        self.duration = duration
    }

    public var total: Int { suites.reduce(0) { $0 + $1.results.count } }
    public var failures: Int { suites.reduce(0) { $0 + $1.failures } }
    public var skipped: Int { suites.reduce(0) { $0 + $1.skipped } }
    public var passed: Int { suites.reduce(0) { $0 + $1.passed } }
    public var succeeded: Bool { failures == 0 }
}
