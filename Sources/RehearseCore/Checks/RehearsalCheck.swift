/// One check of DESIGN.md's table, run on one subject (after swift-format's one rule per file).
///
/// The plan decides whether a check runs at all (``RehearsalPlan``); the executor skips it when a check it
/// ``needs`` did not pass; otherwise ``run(_:)`` decides, reading and extending the subject's shared state.
protocol RehearsalCheck: Sendable {
    /// The JUnit word this check reports under.
    var check: Check { get }
    /// Earlier checks this one builds on; when one of them did not pass it is skipped with "<check> failed".
    var needs: [Check] { get }
    /// Runs the check. A thrown error is a failure (a ``ScriptFailure`` keeps its file and line).
    func run(_ run: SubjectRun) throws -> Verdict
}

/// Every check in report order; the executor runs a subject's planned checks in this order.
enum RehearsalChecks {
    static let all: [any RehearsalCheck] = [
        ForwardCheck(), ValidateCheck(), IdempotenceCheck(), RollbackCheck(), ReversibilityCheck(), ReapplyCheck(),
        DataPreservationCheck(), EquivalenceCheck(), BackupCheck(),
    ]

    static func implementation(of check: Check) -> (any RehearsalCheck)? {
        all.first { $0.check == check }
    }
}
