/// How a rehearsal compares and how much it runs at once.
public struct RehearsalOptions: Sendable {
    /// Report a different column order as a failure rather than a note.
    public var strictColumnOrder: Bool
    /// How many subjects run at the same time, each on its own databases.
    public var jobs: Int
    /// Overrides every subject's idempotence rule (`--idempotence`); nil keeps the layout's and rehearse.yaml's.
    public var idempotence: RehearsalSubject.IdempotenceRule?

    public init(strictColumnOrder: Bool = false, jobs: Int = 2, idempotence: RehearsalSubject.IdempotenceRule? = nil) {
        self.strictColumnOrder = strictColumnOrder
        self.jobs = max(1, jobs)
        self.idempotence = idempotence
    }
}
