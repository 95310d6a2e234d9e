/// The walking database between a savepoint and the rollback to it, standing in for a copy of the forward result.
///
/// ``SubjectRun/cloneForward(_:)`` returns one on the fast path; dropping it returns to the savepoint, so a check
/// that runs a second forward or the undo on it leaves the walking database as forward left it.
final class SavepointBranch: ScratchDatabase {
    private let database: any TransactionalDatabase
    private var closed = false
    /// Set when returning to the savepoint failed: the step cannot be trusted and runs again on copies.
    private(set) var failure: (any Error)?

    init(opening database: any TransactionalDatabase) throws {
        try database.openBranch()
        self.database = database
    }

    var name: String { database.name }
    var validatorsLeaveNoTrace: Bool { database.validatorsLeaveNoTrace }

    func apply(_ script: PreparedScript) throws { try database.apply(script) }
    func validate(_ script: PreparedScript) throws { try database.validate(script) }
    func snapshot() throws -> SchemaSnapshot { try database.snapshot() }
    func fingerprint() throws -> DataFingerprint { try database.fingerprint() }
    func dataDigest() throws -> DataFingerprint { try database.dataDigest() }

    func clone(label: String) throws -> any ScratchDatabase {
        throw TransactionObstacle("a copy of a savepoint branch was asked for")
    }

    func backupRoundTrip() throws -> SchemaSnapshot {
        throw TransactionObstacle("a dump of a savepoint branch was asked for")
    }

    /// Returns to the savepoint. Safe to call twice.
    func drop() {
        guard !closed else { return }
        closed = true
        do {
            try database.closeBranch()
        } catch {
            failure = error
        }
    }
}
