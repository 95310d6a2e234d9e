/// A database that can run one subject's checks inside a single transaction on the walking database, with a
/// savepoint per branch instead of a copy per check (PostgreSQL: DDL is transactional).
///
/// The executor uses it only as a fast path (DESIGN.md: a verdict never depends on how it was reached): it calls
/// ``transactionObstacle(in:)`` first, and a subject whose checks do not all pass in the transaction is rolled back
/// with ``abortStep()`` and rehearsed again on copies, which decides and reports the verdict. While a step is open,
/// ``ScratchDatabase/apply(_:)``, `validate`, `snapshot` and `fingerprint` run inside it.
public protocol TransactionalDatabase: ScratchDatabase {
    /// Why `scripts` cannot be rehearsed inside one transaction with the outcome they have on their own (a
    /// statement PostgreSQL refuses in a transaction block, transaction control the layout does not translate, a
    /// file the parser could not split, …), or nil when they can.
    func transactionObstacle(in scripts: [PreparedScript]) -> String?
    /// Opens the step's transaction; what it finds in the database may still rule the fast path out.
    ///
    /// - Throws: ``TransactionObstacle`` when the database itself rules it out; any other error when the
    ///   transaction could not be opened.
    func beginStep() throws
    /// A savepoint that ``closeBranch()`` returns to: what runs in between (a second forward, an undo) leaves no
    /// trace, sequences included.
    func openBranch() throws
    func closeBranch() throws
    /// Commits what the step left outside its branches (the forward result).
    func commitStep() throws
    /// Rolls the whole step back, sequences included, so the database is exactly as before ``beginStep()``.
    func abortStep()
}

/// Why a subject runs on copies rather than inside one transaction.
public struct TransactionObstacle: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
