/// Where a validator or verify script runs so that it leaves no trace: its own transaction, rolled back; inside
/// the fast path's transaction, a savepoint rolled back to.
struct ValidatorScope {
    private let database: PostgresDatabase
    /// The validator's session, reset as a new one would be.
    let connection: PostgresConnection
    private let savepoint: String?
    /// The database's ``PostgresDatabase/generation`` before the validator's session was taken.
    private let generation: Int

    /// Takes a fresh session on `database` and opens the scope on it.
    init(opening database: PostgresDatabase) throws {
        self.database = database
        generation = database.generation
        connection = try database.freshSession()
        if database.step != nil {
            let name = try database.savepointName("validate")
            // With the session's reset, in the round trip of the validator's first statement.
            connection.sendFirst(["SAVEPOINT \(name)"])
            savepoint = name
        } else {
            try connection.execute("BEGIN")
            savepoint = nil
        }
    }

    /// Rolls back what the validator did, which puts back the database's generation. A savepoint that cannot be
    /// returned to breaks the step, which then does not commit.
    ///
    /// In an intact transaction the rollback goes in front of the next command, in its round trip; after a failed
    /// validator it goes now.
    func close() {
        guard let savepoint else { return database.rollBackOpenTransaction(connection) }
        do {
            if connection.transactionStatus == .inTransaction {
                connection.sendFirst(["ROLLBACK TO SAVEPOINT \(savepoint)", "RELEASE SAVEPOINT \(savepoint)"])
            } else {
                try connection.execute("ROLLBACK TO SAVEPOINT \(savepoint); RELEASE SAVEPOINT \(savepoint)")
            }
            database.generation = generation
        } catch {
            database.step?.broken = true
        }
    }
}
