/// What a rehearsal will do, as data: suites × subjects × checks, each check saying whether it runs or why it is
/// skipped (after Sqitch's Plan). `list`, the reports of skipped checks and the tests read it; nothing
/// re-derives it.
public struct RehearsalPlan: Sendable {
    public let suites: [PlannedSuite]

    public init(suites: [PlannedSuite]) {
        self.suites = suites
    }

    /// Plans every suite of `repository`.
    ///
    /// - Parameter scripts: every script, parsed (the idempotence rule depends on how each file runs).
    public init(repository: LoadedRepository, scripts: PreparedScripts, options: RehearsalOptions) {
        suites = repository.suites.map { Self.plan($0, scripts: scripts, options: options) }
    }

    public var checkCount: Int { suites.reduce(0) { $0 + $1.checkCount } }

    /// Plans one suite.
    public static func plan(_ suite: RehearsalSuite, scripts: PreparedScripts, options: RehearsalOptions) -> PlannedSuite {
        let policy: PlannedCheck
        switch suite.policy {
        case let .noRules(reason): policy = PlannedCheck(.policy, skip: reason)
        case .checked: policy = PlannedCheck(.policy)
        }
        let subjects = suite.subjects.map { subject in
            PlannedSubject(subject: subject, checks: subject.rehearsed ? checks(for: subject, scripts: scripts, options: options) : [])
        }
        return PlannedSuite(suite: suite, policy: policy, subjects: subjects)
    }

    /// The checks of one subject, in report order: each check type decides whether it applies and why it would
    /// be skipped.
    static func checks(for subject: RehearsalSubject, scripts: PreparedScripts, options: RehearsalOptions) -> [PlannedCheck] {
        let context = PlanContext(scripts: scripts, options: options)
        let checks = RehearsalChecks.all.compactMap { $0.plan(subject, context) }
        if case let .unavailable(reason) = subject.start {
            return checks.map { PlannedCheck($0.check, skip: reason) }
        }
        return checks
    }

    /// Why idempotence is not required of `subject`, or nil when it is (DESIGN.md, "Idempotence, precisely").
    static func idempotenceSkip(_ subject: RehearsalSubject, scripts: PreparedScripts, options: RehearsalOptions) -> String? {
        switch options.idempotence ?? subject.idempotence {
        case .always: return nil
        case .never: return "idempotence: never"
        case .outsideTransaction:
            let outside = subject.forward.contains { file in
                scripts.script(for: file).map(Self.runsOutsideTransaction) ?? (file.execution == .autocommit)
            }
            return outside ? nil : "runs in one transaction: a failed run leaves nothing to re-run"
        }
    }

    /// Whether a failure halfway through `script` can leave a partial state that an operator would re-run.
    public static func runsOutsideTransaction(_ script: PreparedScript) -> Bool {
        switch script.file.execution {
        case .transaction, .singleQuery: return false
        case .transactionUnlessNonTransactional:
            return !script.statements.isEmpty && script.statements.allSatisfy(\.nonTransactional)
        case .autocommit:
            return !script.wrapsItselfInTransaction
        }
    }
}
