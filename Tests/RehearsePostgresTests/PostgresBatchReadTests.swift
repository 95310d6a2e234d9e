import Foundation
import Testing
@testable import RehearsePostgres
import RehearseCore

/// The one-round-trip readers: the connection's batch, settings pinned for a batch inside and outside a
/// transaction block, and snapshots and fingerprints identical to the statement-by-statement readers they replace.
@Suite(.catalogServer)
struct PostgresBatchReadTests {
    /// Runs `body` with the connection of a new scratch database built from `sql`.
    private func withConnection<T>(_ label: String, _ sql: String = "", _ body: (PostgresConnection) throws -> T) throws -> T {
        try CatalogTestServer.withDatabase(label) { database in
            if !sql.isEmpty { try database.apply(CatalogTestServer.script(sql)) }
            let postgres = try #require(database as? PostgresDatabase)
            return try body(postgres.session())
        }
    }

    private func settings(_ connection: PostgresConnection) throws -> [String?] {
        try connection.execute("SELECT current_setting('search_path'), current_setting('TimeZone')").rows[0]
    }

    /// Snapshots and fingerprints compared as bytes, not only as equal Swift strings.
    private func bytes(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try encoder.encode(value)
    }

    // MARK: - executeBatch

    @Test func aBatchReturnsOneResultPerStatement() throws {
        try withConnection("batch") { connection in
            let results = try connection.executeBatch([
                "CREATE TABLE public.t (a integer)", "INSERT INTO public.t VALUES (2), (1);",
                "SELECT a FROM public.t ORDER BY a", "SELECT NULL::text AS nothing",
            ])
            #expect(results.map(\.commandStatus) == ["CREATE TABLE", "INSERT 0 2", "SELECT 2", "SELECT 1"])
            #expect(results[2].rows == [["1"], ["2"]])
            #expect(results[3].columns == ["nothing"])
            #expect(results[3].rows == [[nil]])
            #expect(try connection.executeBatch([]).isEmpty)
        }
    }

    @Test func aFailedStatementIsNamedAndUndoesTheBatch() throws {
        try withConnection("batch_failure") { connection in
            let failure = try #require(throws: PostgresBatchFailure.self) {
                try connection.executeBatch(["CREATE TABLE public.gone (a integer)", "SELECT 1 / 0", "CREATE TABLE public.never (a integer)"])
            }
            #expect(failure.statementIndex == 1)
            #expect(failure.statement == "SELECT 1 / 0")
            #expect(failure.error.sqlState == "22012")
            #expect(failure.description.hasPrefix("statement 2 of 3 in a batch failed (SELECT 1 / 0): ERROR: SQLSTATE 22012"))
            // One implicit transaction: the statement before the failure is undone, the one after never ran.
            #expect(connection.transactionStatus == .idle)
            #expect(try connection.execute("SELECT to_regclass('public.gone') IS NULL AND to_regclass('public.never') IS NULL").rows == [["t"]])
        }
    }

    @Test func aStatementHoldingTwoStatementsIsRefused() throws {
        try withConnection("batch_count") { connection in
            let failure = try #require(throws: PostgresBatchFailure.self) { try connection.executeBatch(["SELECT 1; SELECT 2"]) }
            #expect(failure.error.message.contains("returned 2 results"))
        }
    }

    // MARK: - Pinned settings

    @Test func pinnedSettingsEndWithTheBatchOutsideATransaction() throws {
        try withConnection("pinned_idle") { connection in
            try connection.execute("SET search_path = public, pg_catalog")
            try connection.execute("SET TimeZone = 'Europe/Paris'")
            let results = try PostgresCatalogSession.pinnedBatch(
                [("search_path", "pg_catalog"), ("TimeZone", "UTC")],
                reads: ["SELECT current_setting('search_path')", "SELECT current_setting('TimeZone')"],
                on: PostgresCatalogSession.Batch(connection)
            )
            #expect(results == [[["pg_catalog"]], [["UTC"]]])
            #expect(try settings(connection) == ["public, pg_catalog", "Europe/Paris"])
            #expect(connection.transactionStatus == .idle)
            #expect(connection.notices.isEmpty)
        }
    }

    /// Inside the caller's transaction the pin is undone exactly, a `SET LOCAL` of the caller's included, and the
    /// caller's work stays.
    @Test func pinnedSettingsAreUndoneInsideATransaction() throws {
        try withConnection("pinned_transaction") { connection in
            try connection.execute("SET TimeZone = 'Europe/Paris'")
            try connection.execute("BEGIN")
            try connection.execute("CREATE TABLE public.kept (a integer)")
            try connection.execute("SET LOCAL search_path = public")
            let results = try PostgresCatalogSession.pinnedBatch(
                [("search_path", "pg_catalog"), ("TimeZone", "UTC")],
                reads: ["SELECT current_setting('search_path'), current_setting('TimeZone'), to_regclass('public.kept') IS NOT NULL"],
                on: PostgresCatalogSession.Batch(connection)
            )
            #expect(results == [[["pg_catalog", "UTC", "t"]]])
            #expect(connection.transactionStatus == .inTransaction)
            #expect(try settings(connection) == ["public", "Europe/Paris"])
            try connection.execute("COMMIT")
            // The caller's SET LOCAL ended with its transaction, as it would have without the read.
            #expect(try settings(connection) == ["\"$user\", public", "Europe/Paris"])
            #expect(try connection.execute("SELECT to_regclass('public.kept') IS NOT NULL").rows == [["t"]])
        }
    }

    @Test func aFailedReadInsideATransactionLeavesItUsable() throws {
        try withConnection("pinned_failure") { connection in
            try connection.execute("SET TimeZone = 'Europe/Paris'")
            try connection.execute("BEGIN")
            try connection.execute("CREATE TABLE public.kept (a integer)")
            let failure = try #require(throws: PostgresBatchFailure.self) {
                try PostgresCatalogSession.pinnedBatch(
                    [("TimeZone", "UTC")], reads: ["SELECT 1", "SELECT 1 / 0"], on: PostgresCatalogSession.Batch(connection)
                )
            }
            #expect(failure.statement == "SELECT 1 / 0")
            #expect(connection.transactionStatus == .inTransaction)
            #expect(try settings(connection)[1] == "Europe/Paris")
            #expect(try connection.execute("SELECT to_regclass('public.kept') IS NOT NULL").rows == [["t"]])
            try connection.execute("ROLLBACK")
        }
    }

    // MARK: - Same snapshot, same fingerprint

    /// The catalog queries as they were before batching: today's, with each comment lookup written back as the
    /// `obj_description` or `col_description` call it replaced, and without the later `>= 16384` shortcuts
    /// (``PostgresCatalogReader/userObject(_:)``), so the 32 schemas also prove that it leaves nothing out.
    static var originalReads: [PostgresCatalogReader.Read] {
        PostgresCatalogReader.reads.map { read in
            var read = read
            for (pattern, template) in [
                (#"\(SELECT dsc\.description FROM pg_catalog\.pg_description dsc WHERE dsc\.objoid = ([a-z]+\.oid) AND dsc\.classoid = 'pg_catalog\.pg_class'::pg_catalog\.regclass AND dsc\.objsubid = ([a-z]+\.attnum)\)"#,
                 "pg_catalog.col_description($1, $2)"),
                (#"\(SELECT dsc\.description FROM pg_catalog\.pg_description dsc WHERE dsc\.objoid = ([a-z]+\.oid) AND dsc\.classoid = 'pg_catalog\.(pg_[a-z_]+)'::pg_catalog\.regclass AND dsc\.objsubid = 0\)"#,
                 "pg_catalog.obj_description($1, '$2')"),
                (#"[a-z]+\.[a-z_]+ >= 16384 AND "#, ""),
            ] {
                let expression = try! NSRegularExpression(pattern: pattern)
                read.sql = expression.stringByReplacingMatches(in: read.sql, range: NSRange(read.sql.startIndex..., in: read.sql), withTemplate: template)
            }
            return read
        }
    }

    @Test func theOriginalQueriesAreRebuiltExactly() {
        let reads = Self.originalReads
        #expect(reads.count == 14)
        #expect(reads.allSatisfy { !$0.sql.contains("pg_description") && ($0.sql.contains("obj_description(") || $0.sql.contains("col_description(")) })
        #expect(reads[2].sql.contains("pg_catalog.col_description(c.oid, a.attnum)"))
        #expect(reads[0].sql.contains("pg_catalog.obj_description(n.oid, 'pg_namespace')"))
        #expect(reads.allSatisfy { !$0.sql.contains(">= 16384") })
        // Not schemas (`public` is 2200), extensions (`plpgsql` is below 16384) or event triggers.
        #expect(PostgresCatalogReader.reads.filter { !$0.sql.contains(">= 16384") }.map(\.name) == ["schemas", "extensions", "event triggers"])
    }

    /// A comment on every kind of object reads the same through the new lookup as through `obj_description`.
    @Test func commentsOnEveryKindReadAsBefore() throws {
        let schema = PostgresCatalogReaderTests.base + """
            ;
            CREATE MATERIALIZED VIEW public.order_counts AS SELECT status, count(*) AS n FROM public.orders GROUP BY status;
            CREATE PROCEDURE public.archive_orders(before_id integer) LANGUAGE sql AS $$ DELETE FROM public.orders WHERE id < before_id $$;
            CREATE AGGREGATE public.total_qty(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '0');
            CREATE TRIGGER orders_touch BEFORE UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION public.touch();
            CREATE POLICY orders_visible ON public.orders FOR UPDATE TO PUBLIC USING (true);
            CREATE RULE orders_keep AS ON DELETE TO public.orders DO INSTEAD NOTHING;
            CREATE FUNCTION public.note_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
            CREATE EVENT TRIGGER note_tables ON ddl_command_end EXECUTE FUNCTION public.note_ddl();
            CREATE EXTENSION citext;
            COMMENT ON SCHEMA public IS 'schema''s';
            COMMENT ON TABLE public.orders IS 'table';
            COMMENT ON COLUMN public.orders.qty IS 'column';
            COMMENT ON CONSTRAINT orders_pkey ON public.orders IS 'constraint';
            COMMENT ON INDEX public.idx_orders_status IS 'index';
            COMMENT ON VIEW public.active_customers IS 'view';
            COMMENT ON MATERIALIZED VIEW public.order_counts IS 'materialized view';
            COMMENT ON SEQUENCE public.invoice_no IS 'sequence';
            COMMENT ON FUNCTION public.order_total(integer) IS 'function';
            COMMENT ON PROCEDURE public.archive_orders(integer) IS 'procedure';
            COMMENT ON AGGREGATE public.total_qty(integer) IS 'aggregate';
            COMMENT ON TRIGGER orders_touch ON public.orders IS 'trigger';
            COMMENT ON TYPE public.mood IS 'type';
            COMMENT ON DOMAIN public.posint IS 'domain';
            COMMENT ON EXTENSION citext IS 'extension';
            COMMENT ON POLICY orders_visible ON public.orders IS 'policy';
            COMMENT ON RULE orders_keep ON public.orders IS 'rule';
            COMMENT ON EVENT TRIGGER note_tables IS E'event\ntrigger';
            """
        try withConnection("every_comment", schema) { connection in
            let reader = PostgresCatalogReader(connection: connection)
            let old = try reader.snapshotQueryByQuery(reads: Self.originalReads)
            let batched = try reader.snapshot()
            #expect(old.objects.filter { $0.kind == "comment" }.count == 19)
            #expect(try bytes(batched) == bytes(old), "\(SnapshotDiff(from: old, to: batched).text)")
        }
    }

    /// Every schema of the catalog reader's tests reads the same, to the byte, batched or query by query, from a
    /// session whose `search_path` would print names differently, and from inside a transaction block.
    @Test(arguments: PostgresCatalogReaderTests.forgottenChanges)
    func batchedSnapshotIsTheSnapshotReadQueryByQuery(_ change: ForgottenChange) throws {
        try withConnection("same_snapshot", PostgresCatalogReaderTests.base + ";\n" + change.upgrade) { connection in
            try connection.execute("SET search_path = public")
            let reader = PostgresCatalogReader(connection: connection)
            let old = try reader.snapshotQueryByQuery(reads: Self.originalReads)
            let batched = try reader.snapshot()
            #expect(old.objects.count > 10)
            #expect(batched == old, "\(SnapshotDiff(from: old, to: batched).text)")
            #expect(try bytes(batched) == bytes(old))
            try connection.execute("BEGIN")
            #expect(try bytes(reader.snapshot()) == bytes(old))
            #expect(try connection.execute("SELECT current_setting('search_path')").rows == [["public"]])
            try connection.execute("ROLLBACK")
        }
    }

    static let richData = """
        CREATE TABLE public."Odd Name" (
            "Key" integer PRIMARY KEY, payload bytea, numbers integer[], doc json, docb jsonb,
            at timestamptz, day date, ratio double precision, amount numeric, note text, "ok?" boolean, span interval
        );
        INSERT INTO public."Odd Name" VALUES
            (1, '\\x00ff', '{1,NULL,3}', '{"a":  1}', '{"a":  1}', '2024-01-02 03:04:05+02', '2024-02-29', 0.1, 9.50, 'it''s', true, '1 day 2 hours'),
            (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
            (3, '', '{}', '[]', '"x"', 'infinity', '1999-12-31', 'NaN', -0.000, '', false, '-3 mons'),
            (4, '\\x3c26', '{7}', '{"k": "<&>"}', '{"k": "<&>"}', '2024-06-01 00:00:00+00', '2024-06-01', 1e300, 1e-20, E'<a & b> &amp; \\r\\n tab\\there "q" \\\\ back', NULL, '0'),
            (5, NULL, NULL, NULL, NULL, NULL, NULL, -1.5, NULL, E'Zoë 🐘 \\x01 control, NULL', NULL, NULL),
            (6, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'NULL', NULL, NULL);
        CREATE TABLE public.tags (tag text, weight integer);
        INSERT INTO public.tags VALUES ('x', 1), ('x', 1), (NULL, NULL), ('', 0);
        CREATE TABLE public.measurements (id integer, at date) PARTITION BY RANGE (at);
        CREATE TABLE public.measurements_2024 PARTITION OF public.measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
        INSERT INTO public.measurements VALUES (1, '2024-03-01');
        CREATE TABLE public.animals (name text);
        CREATE TABLE public.dogs (breed text) INHERITS (public.animals);
        INSERT INTO public.animals VALUES ('cat');
        INSERT INTO public.dogs VALUES ('rex', 'collie');
        CREATE TABLE public.nothing ();
        INSERT INTO public.nothing DEFAULT VALUES;
        CREATE TABLE public.empty (id integer PRIMARY KEY);
        CREATE SCHEMA "Other";
        CREATE TABLE "Other"."Prices" (region text, sku integer, PRIMARY KEY (sku, region));
        INSERT INTO "Other"."Prices" VALUES ('eu', 7), ('us', 7);
        """

    /// A table wider than the 100 arguments a function call may have.
    static let wideTable: String = {
        let columns = (1...150).map { "c\($0) integer DEFAULT \($0)" }.joined(separator: ", ")
        return "CREATE TABLE public.wide (\(columns)); INSERT INTO public.wide DEFAULT VALUES; INSERT INTO public.wide (c1) VALUES (NULL);"
    }()

    @Test func batchedFingerprintIsTheFingerprintReadQueryByQuery() throws {
        try withConnection("same_fingerprint", Self.richData + Self.wideTable) { connection in
            // Settings a migration may leave behind, which the pin must override on both paths.
            for setting in ["DateStyle = 'German, DMY'", "TimeZone = 'America/New_York'", "extra_float_digits = 0", "bytea_output = 'escape'", "IntervalStyle = 'sql_standard'"] {
                try connection.execute("SET " + setting)
            }
            let reader = PostgresDataReader(connection: connection)
            let old = try reader.fingerprintQueryByQuery()
            let batched = try reader.fingerprint()
            #expect(old.tables.count == 9)
            #expect(old.tables["public.Odd Name"]?.rows.count == 6)
            #expect(old.tables["public.wide"]?.rows.first?.values.count == 150)
            #expect(batched == old, "\(DataDiff(from: old, to: batched).text)")
            #expect(try bytes(batched) == bytes(old))
            try connection.execute("BEGIN")
            #expect(try bytes(reader.fingerprint()) == bytes(old))
            try connection.execute("ROLLBACK")
            #expect(try connection.execute("SELECT current_setting('DateStyle')").rows == [["German, DMY"]])
        }
    }
}
