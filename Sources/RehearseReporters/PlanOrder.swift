import RehearseCore

/// The test cases a plan will report, in report order: per suite the policy check, then every subject's checks.
///
/// Checks finish in whatever order the servers allow; the console prints them in this order instead, so two runs
/// of the same repository print the same lines, with a counter (`[12/219]`) that means the same thing.
public struct PlanOrder: Sendable, Equatable {
    /// One expected test case.
    public struct Entry: Sendable, Hashable {
        /// The suite name, `e-commerce/postgresql`.
        public let suite: String
        public let subject: MigrationSubject
        public let check: Check

        public init(suite: String, subject: MigrationSubject, check: Check) {
            self.suite = suite
            self.subject = subject
            self.check = check
        }

        /// `install v1.0.0: forward`, the test case name.
        public var name: String { "\(subject): \(check.rawValue)" }
    }

    public let entries: [Entry]
    private let positions: [Entry: Int]

    public init(entries: [Entry]) {
        self.entries = entries
        var positions: [Entry: Int] = [:]
        for (index, entry) in entries.enumerated() where positions[entry] == nil {
            positions[entry] = index
        }
        self.positions = positions
    }

    /// The order of `plan`: for each suite `project: policy` (unless another shard reports it), then each
    /// subject's planned checks; as many entries as ``RehearsalPlan/checkCount``.
    public init(_ plan: RehearsalPlan) {
        var entries: [Entry] = []
        for suite in plan.suites {
            if suite.suite.reportsPolicy { entries.append(Entry(suite: suite.name, subject: .project, check: .policy)) }
            for subject in suite.subjects {
                for check in subject.checks {
                    entries.append(Entry(suite: suite.name, subject: subject.id, check: check.check))
                }
            }
        }
        self.init(entries: entries)
    }

    /// How many test cases the plan reports.
    public var total: Int { entries.count }

    /// Where `result` of `suite` stands, or nil for a result the plan does not list (a step applied forward only
    /// that failed).
    public func position(of result: CheckResult, suite: String) -> Int? {
        positions[Entry(suite: suite, subject: result.subject, check: result.check)]
    }

    /// The first position of `suite`, or nil when the plan has no such suite.
    func firstPosition(of suite: String) -> Int? {
        entries.firstIndex { $0.suite == suite }
    }
}
