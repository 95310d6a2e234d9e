/// A clean session for each file and each read: what `DISCARD ALL` does, statement by statement.
///
/// `DISCARD ALL` is refused inside a transaction block, where the fast path works, and it would also drop the
/// prepared statements behind Rehearse's own reads (see `PostgresConnection+Pipeline.swift`), which would then be
/// planned again after every file. So both paths run its parts instead, with two differences that no script can see:
/// - `DEALLOCATE ALL` becomes a `DEALLOCATE` of each statement a script prepared with SQL
///   (`pg_prepared_statements.from_sql`); Rehearse's protocol-level ones stay.
/// - `DISCARD PLANS` is left out: it drops cached plans only, and PostgreSQL already plans again whenever a plan's
///   objects or `search_path` change, so results never depend on it.
enum PostgresSessionReset {
    /// The parts of `DISCARD ALL`, each allowed in a transaction block, then the names of the scripts' prepared
    /// statements.
    static let statements = """
        CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; UNLISTEN *; \
        SELECT pg_catalog.pg_advisory_unlock_all(); DISCARD TEMP; DISCARD SEQUENCES; \
        SELECT pg_catalog.quote_ident(name) FROM pg_catalog.pg_prepared_statements WHERE from_sql
        """

    /// Resets `connection`, inside or outside a transaction block: one round trip, and one more for each
    /// statement a script prepared.
    ///
    /// - Throws: ``PostgresError`` from the server.
    ///
    /// With `keepingChangeLog`, inside a step that keeps a ``PostgresChangeLog``, `RESET ALL` leaves the log as it is.
    static func apply(on connection: PostgresConnection, keepingChangeLog: Bool = false) throws {
        let sql = keepingChangeLog ? statements.replacingOccurrences(of: "RESET ALL;", with: PostgresChangeLog.resetKeepingLog + ";") : statements
        let prepared = try connection.execute(sql)
        for row in prepared.rows {
            guard let name = row.first ?? nil else { continue }
            try connection.execute("DEALLOCATE \(name)")
        }
        connection.clearNotices()
    }
}
