import Foundation

/// How a rehearsal compares and how much it runs at once.
public struct RehearsalOptions: Sendable {
    /// Report a different column order as a failure rather than a note.
    public var strictColumnOrder: Bool
    /// How many subjects run at the same time, each on its own databases.
    public var jobs: Int
    /// Overrides every subject's idempotence rule (`--idempotence`); nil keeps the layout's and rehearse.yaml's.
    public var idempotence: RehearsalSubject.IdempotenceRule?
    /// Seconds a script statement may run before PostgreSQL cancels it (`statement_timeout`); 0 is no limit.
    public var statementTimeout: Double
    /// Seconds a script statement may wait for a lock (`lock_timeout`); 0 is no limit.
    public var lockTimeout: Double
    /// Rehearse a subject's checks inside one transaction on the walking database where the engine allows it (the
    /// fast path; any check that does not pass there is rehearsed again on copies). Off only to prove that both
    /// paths give the same verdicts: `REHEARSE_SAVEPOINTS=off` in the environment.
    public var transactionalSteps: Bool

    public init(
        strictColumnOrder: Bool = false, jobs: Int = 2, idempotence: RehearsalSubject.IdempotenceRule? = nil,
        statementTimeout: Double = 300, lockTimeout: Double = 60,
        transactionalSteps: Bool = ProcessInfo.processInfo.environment["REHEARSE_SAVEPOINTS"] != "off"
    ) {
        self.transactionalSteps = transactionalSteps
        self.strictColumnOrder = strictColumnOrder
        self.jobs = max(1, jobs)
        self.idempotence = idempotence
        self.statementTimeout = max(0, statementTimeout)
        self.lockTimeout = max(0, lockTimeout)
    }
}
