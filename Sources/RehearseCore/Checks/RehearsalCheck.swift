/// One check of DESIGN.md's table, run on one subject (after swift-format's one rule per file).
///
/// ``plan(_:_:)`` decides, before any server starts, whether the check applies to a subject and why it would be
/// skipped; the executor skips it when a check it ``needs`` did not pass; otherwise ``run(_:)`` decides, reading
/// and extending the subject's shared state. Adding a check is one new conforming type, listed in
/// ``RehearsalChecks/all`` (and its JUnit word in ``Check``).
protocol RehearsalCheck: Sendable {
    /// The JUnit word this check reports under.
    var check: Check { get }
    /// Earlier checks this one builds on; when one of them did not pass it is skipped with "<check> failed".
    var needs: [Check] { get }
    /// Whether the check applies to `subject` (nil: it is not part of this subject's report) and, if it will be
    /// skipped for a reason known now, why.
    func plan(_ subject: RehearsalSubject, _ context: PlanContext) -> PlannedCheck?
    /// Runs the check. A thrown error is a failure (a ``ScriptFailure`` keeps its file and line).
    func run(_ run: SubjectRun) throws -> Verdict
    /// Runs before forward changes the start database, for a check that measures on the start itself and leaves it
    /// as it was (``SafetyCheck``); what it learns goes on `run` for ``run(_:)``. A thrown error is the check's
    /// verdict, as if ``run(_:)`` had thrown it.
    func beforeForward(_ run: SubjectRun) throws
}

extension RehearsalCheck {
    func beforeForward(_ run: SubjectRun) throws {}
}

/// What planning a check may look at: every parsed script and the run's options.
struct PlanContext {
    let scripts: PreparedScripts
    let options: RehearsalOptions

    /// The skip reason of rollback and the checks built on it, or nil when the subject has undo scripts.
    static func undoSkip(_ subject: RehearsalSubject) -> String? {
        switch subject.undo {
        case .scripts: nil
        case let .missing(reason): reason
        case .irreversible: "declared irreversible"
        }
    }
}

/// Every check in report order; the executor runs a subject's planned checks in this order.
enum RehearsalChecks {
    static let all: [any RehearsalCheck] = [
        ForwardCheck(), ValidateCheck(), IdempotenceCheck(), RollbackCheck(), ReversibilityCheck(), ReapplyCheck(),
        DataPreservationCheck(), EquivalenceCheck(), BackupCheck(), SafetyCheck(),
    ]

    static func implementation(of check: Check) -> (any RehearsalCheck)? {
        all.first { $0.check == check }
    }
}
