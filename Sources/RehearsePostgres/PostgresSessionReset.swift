/// A clean session for each file and each read: what `DISCARD ALL` does, statement by statement.
///
/// `DISCARD ALL` is refused inside a transaction block, where the fast path works, and it would also drop the
/// prepared statements behind Rehearse's own reads (see `PostgresConnection+Pipeline.swift`), which would then be
/// planned again after every file. So both paths run its parts instead, with two differences that no script can see:
/// - `DEALLOCATE ALL` becomes a `DEALLOCATE` of each statement a script prepared with SQL
///   (`pg_prepared_statements.from_sql`), in a `DO` block; Rehearse's protocol-level ones stay.
/// - `DISCARD PLANS` is left out: it drops cached plans only, and PostgreSQL already plans again whenever a plan's
///   objects or `search_path` change, so results never depend on it.
///
/// The statements return nothing anyone reads, so inside a transaction block they can travel in front of the next
/// command, in its round trip (``PostgresConnection/sendFirst(_:)``).
enum PostgresSessionReset {
    /// The parts of `DISCARD ALL`, each allowed in a transaction block. With `keepingChangeLog`, inside a step that
    /// keeps a ``PostgresChangeLog``, `RESET ALL` leaves the log as it is. The deallocation of a script's prepared
    /// statements reads `pg_prepared_statements`, which copies the text of every statement the session prepared
    /// (Rehearse's own reads included), so it is left out of a session no script text could have prepared one on
    /// (``PostgresConnection/scriptsMayHavePrepared``).
    static func statements(keepingChangeLog: Bool, deallocating: Bool) -> [String] {
        let deallocate = """
            FOR prepared IN SELECT name FROM pg_catalog.pg_prepared_statements WHERE from_sql LOOP \
            EXECUTE 'DEALLOCATE ' || pg_catalog.quote_ident(prepared); END LOOP;
            """
        let reset: [String]
        switch (keepingChangeLog, deallocating) {
        case (false, false):
            reset = ["RESET ALL"]
        case (false, true):
            reset = ["RESET ALL", "DO $rehearse$ DECLARE prepared pg_catalog.text; BEGIN \(deallocate) END $rehearse$"]
        case (true, _):
            reset = [
                """
                DO $rehearse$ DECLARE log pg_catalog.text := \(PostgresChangeLog.currentText); prepared pg_catalog.text; \
                BEGIN RESET ALL; PERFORM pg_catalog.set_config('\(PostgresChangeLog.setting)', log, true); \
                \(deallocating ? deallocate + " " : "")END $rehearse$
                """,
            ]
        }
        return ["CLOSE ALL", "SET SESSION AUTHORIZATION DEFAULT"] + reset + [
            "SELECT pg_catalog.pg_advisory_unlock_all()", "UNLISTEN *", "DISCARD TEMP", "DISCARD SEQUENCES",
        ]
    }

    /// Resets `connection` now, outside a step (inside one, ``applyWithNextCommand(on:keepingChangeLog:)``): one
    /// round trip, which also runs `query` after the reset when one is given, and returns its result.
    ///
    /// - Throws: ``PostgresError`` from the server.
    @discardableResult
    static func apply(on connection: PostgresConnection, thenReading query: String? = nil) throws -> QueryResult? {
        let reset = statements(keepingChangeLog: false, deallocating: connection.scriptsMayHavePrepared)
        let results: [QueryResult]
        do {
            results = try connection.executeBatch(reset + (query.map { [$0] } ?? []))
        } catch let failure as PostgresBatchFailure {
            throw failure.error
        }
        connection.clearNotices()
        return query == nil ? nil : results.last
    }

    /// Resets `connection` in the round trip of its next command, which must come inside the transaction block
    /// open now (outside one, the statements and the command would run as one implicit transaction).
    static func applyWithNextCommand(on connection: PostgresConnection, keepingChangeLog: Bool) {
        connection.clearNotices()
        connection.sendFirst(statements(keepingChangeLog: keepingChangeLog, deallocating: connection.scriptsMayHavePrepared))
    }
}
