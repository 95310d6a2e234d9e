/// Runs catalog reads with session settings pinned, and puts the caller's settings back afterwards.
///
/// `pg_get_indexdef`, `format_type` and friends qualify names by the session's `search_path`, and
/// dates, floats and bytea print according to `DateStyle`, `extra_float_digits`, `bytea_output`, …
/// A migration may change any of these for its session, so both readers fix them while they read
/// and then restore whatever the session had, leaving the connection as they found it.
///
/// ``pinnedBatch(_:reads:on:)`` does it in one round trip; ``pinned(_:query:_:)`` is the statement-by-statement
/// way it was done before, kept so that tests can prove both read the same.
enum PostgresCatalogSession {
    /// How a reader reaches the server: a batch of statements sent in one round trip (one row set per statement),
    /// and whether a transaction block is open on that session.
    struct Batch {
        /// Sends the statements in one round trip; those whose index is in the set are Rehearse's own fixed reads,
        /// which the session may prepare once and reuse.
        var run: (_ statements: [String], _ reusable: Set<Int>) throws -> [[[String?]]]
        var inTransaction: () -> Bool
        /// Called when the session's prepared statements turned out to be gone, before the batch is sent again.
        var forgetPrepared: () -> Void = {}

        init(run: @escaping ([String], Set<Int>) throws -> [[[String?]]], inTransaction: @escaping () -> Bool) {
            self.run = run
            self.inTransaction = inTransaction
        }

        /// Batches on `connection`: with ``PostgresConnection/executePipeline(_:)`` when some statements are
        /// reusable, with ``PostgresConnection/executeBatch(_:)`` otherwise.
        init(_ connection: PostgresConnection) {
            self.init(
                run: { statements, reusable in
                    guard !reusable.isEmpty else { return try connection.executeBatch(statements).map(\.rows) }
                    let pipelined = statements.enumerated().map { PostgresConnection.PipelinedStatement(sql: $0.element, reusable: reusable.contains($0.offset)) }
                    return try connection.executePipeline(pipelined).map(\.rows)
                },
                inTransaction: { connection.transactionStatus == .inTransaction }
            )
            forgetPrepared = { connection.forgetPreparedStatements() }
        }

        /// One statement in its own round trip.
        func query(_ sql: String) throws -> [[String?]] {
            try run([sql], [])[0]
        }
    }

    /// The savepoint that scopes pinned settings inside the caller's transaction block.
    static let readSavepoint = "rehearse_pinned_read"

    /// Runs `reads` in one round trip with `settings` pinned for them alone, and returns one row set per read.
    ///
    /// The settings are set with `set_config(…, true)`, which lasts until the end of the current transaction and is
    /// then undone by the server itself, exactly, whatever the session had (even a `SET LOCAL` of the caller's):
    /// - outside a transaction block the batch is one implicit transaction, so the settings end with the batch, and
    ///   a failure undoes them too;
    /// - inside one (the savepoint fast path reads there) the batch opens a savepoint first and rolls back to it and
    ///   releases it last, which undoes the settings and nothing else (the reads changed nothing). When a read fails,
    ///   a second round trip rolls back to that savepoint, so the caller's transaction stays usable.
    ///
    /// `reusable` says that `reads` are Rehearse's own fixed queries: they are prepared once per session and
    /// reused (see ``PostgresConnection/executePipeline(_:)``), and sent again once when a script dropped them.
    /// Reusable reads always run with `search_path` pinned (``snapshotSettings``, unless `settings` pins it
    /// otherwise): PostgreSQL plans a prepared statement again whenever it runs under another `search_path` than it
    /// was planned with, so a read shared by batches that left the session's path to some was planned on every
    /// call. Rehearse's reads name everything schema-qualified, so the path changes no result.
    ///
    /// - Throws: ``PostgresBatchFailure`` naming the statement that failed.
    static func pinnedBatch(
        _ settings: [(name: String, value: String)], reads: [String], reusable: Bool = false, on session: Batch
    ) throws -> [[[String?]]] {
        let settings = reusable && !settings.contains(where: { $0.name == "search_path" }) ? snapshotSettings + settings : settings
        do {
            return try pinnedBatchOnce(settings, reads: reads, reusable: reusable, on: session)
        } catch let failure as PostgresBatchFailure where reusable && failure.error.sqlState == PostgresConnection.undefinedPreparedStatement {
            // A script dropped the session's prepared statements: prepare them again, once.
            session.forgetPrepared()
            return try pinnedBatchOnce(settings, reads: reads, reusable: reusable, on: session)
        }
    }

    private static func pinnedBatchOnce(
        _ settings: [(name: String, value: String)], reads: [String], reusable: Bool, on session: Batch
    ) throws -> [[[String?]]] {
        let pin = settings.isEmpty ? [] : [
            "SELECT " + settings.map { "pg_catalog.set_config(\(literal($0.name)), \(literal($0.value)), true)" }.joined(separator: ", "),
        ]
        func reusableIndices(after offset: Int) -> Set<Int> {
            reusable ? Set(offset..<(offset + reads.count)) : []
        }
        guard session.inTransaction() else {
            return Array(try session.run(pin + reads, reusableIndices(after: pin.count)).dropFirst(pin.count))
        }
        let opening = ["SAVEPOINT \(readSavepoint)"] + pin
        let statements = opening + reads + ["ROLLBACK TO SAVEPOINT \(readSavepoint)", "RELEASE SAVEPOINT \(readSavepoint)"]
        do {
            return Array(try session.run(statements, reusableIndices(after: opening.count)).dropFirst(opening.count).prefix(reads.count))
        } catch let failure as PostgresBatchFailure where failure.statementIndex > 0 && failure.statementIndex < statements.count - 1 {
            _ = try? session.run(["ROLLBACK TO SAVEPOINT \(readSavepoint)", "RELEASE SAVEPOINT \(readSavepoint)"], [])
            throw failure
        }
    }

    /// With only `pg_catalog` on the path every user object is printed schema-qualified.
    static let snapshotSettings: [(name: String, value: String)] = [
        ("search_path", "pg_catalog"),
    ]

    /// Value output that does not depend on how a migration left the session.
    static let fingerprintSettings: [(name: String, value: String)] = [
        ("search_path", "pg_catalog"),
        ("DateStyle", "ISO, MDY"),
        ("IntervalStyle", "postgres"),
        ("TimeZone", "UTC"),
        ("extra_float_digits", "1"),
        ("bytea_output", "hex"),
        ("lc_monetary", "C"),
    ]

    /// Sets `settings` for the session, runs `body`, then restores the previous values even when `body` throws.
    ///
    /// - Throws: whatever `query` or `body` throws; a failure to restore is thrown only when `body` succeeded.
    static func pinned<T>(
        _ settings: [(name: String, value: String)],
        query: (String) throws -> [[String?]],
        _ body: () throws -> T
    ) throws -> T {
        var saved: [(name: String, value: String)] = []
        for setting in settings {
            let rows = try query("SELECT pg_catalog.current_setting(\(literal(setting.name)))")
            saved.append((setting.name, rows.first?.first.flatMap { $0 } ?? ""))
        }
        // Restore in reverse so a half-applied list unwinds exactly.
        func restore() throws {
            for setting in saved.reversed() {
                _ = try query("SELECT pg_catalog.set_config(\(literal(setting.name)), \(literal(setting.value)), false)")
            }
        }
        let result: T
        do {
            for setting in settings {
                _ = try query("SELECT pg_catalog.set_config(\(literal(setting.name)), \(literal(setting.value)), false)")
            }
            result = try body()
        } catch {
            try? restore()
            throw error
        }
        try restore()
        return result
    }

    /// A SQL string literal, read the same whatever `standard_conforming_strings` says.
    static func literal(_ text: String) -> String {
        let quoted = "'" + text.doubling("'") + "'"
        guard text.contains("\\") else { return quoted }
        return "E" + quoted.replacingOccurrences(of: "\\", with: "\\\\")
    }
}
