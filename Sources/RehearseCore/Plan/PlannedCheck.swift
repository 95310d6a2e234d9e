/// One check of one subject in the plan: it runs, or it is skipped for a reason known before any server starts.
public struct PlannedCheck: Sendable, Equatable {
    public let check: Check
    /// Why it will be skipped, when that is already known (no validators, no undo, not required, …).
    public let skipReason: String?

    public init(_ check: Check, skip reason: String? = nil) {
        self.check = check
        self.skipReason = reason
    }

    public var willRun: Bool { skipReason == nil }
}

/// A subject with its planned checks in report order.
public struct PlannedSubject: Sendable, Equatable {
    public let subject: RehearsalSubject
    /// Empty for a subject that is only applied forward (``RehearsalSubject/rehearsed`` false).
    public let checks: [PlannedCheck]

    public init(subject: RehearsalSubject, checks: [PlannedCheck]) {
        self.subject = subject
        self.checks = checks
    }

    public var id: MigrationSubject { subject.id }

    public func planned(_ check: Check) -> PlannedCheck? {
        checks.first { $0.check == check }
    }
}

/// A suite with its planned policy check and subjects.
public struct PlannedSuite: Sendable, Equatable {
    public let suite: RehearsalSuite
    public let policy: PlannedCheck
    /// Every subject, in plan order, including those only applied forward.
    public let subjects: [PlannedSubject]

    public init(suite: RehearsalSuite, policy: PlannedCheck, subjects: [PlannedSubject]) {
        self.suite = suite
        self.policy = policy
        self.subjects = subjects
    }

    /// `e-commerce/postgresql`, the JUnit suite name.
    public var name: String { suite.fullName }

    /// How many test cases the suite reports.
    public var checkCount: Int { (suite.reportsPolicy ? 1 : 0) + subjects.reduce(0) { $0 + $1.checks.count } }
}
