import Testing
@testable import RehearsePostgres
import RehearseCore

/// `dataDigest()`: a row count and an order-independent digest per table, which changes with the data and only with it.
@Suite(.catalogServer)
struct PostgresDataDigestTests {
    static let customers = """
        CREATE TABLE public.customers (id integer PRIMARY KEY, name text NOT NULL, note text);
        INSERT INTO public.customers VALUES (1, 'Ada', 'A-1'), (2, 'Brian', NULL), (3, 'Chen', '');
        """

    /// Applies `sql` to `database` and returns its digest.
    private func digest(_ database: any ScratchDatabase, after sql: String = "") throws -> DataFingerprint {
        if !sql.isEmpty { try database.apply(CatalogTestServer.script(sql)) }
        return try database.dataDigest()
    }

    @Test func aDigestHoldsCountsAndNoRows() throws {
        try CatalogTestServer.withDatabase("digest_shape") { database in
            let data = try digest(database, after: Self.customers)
            let table = try #require(data.tables["public.customers"])
            #expect(table.isDigestOnly)
            #expect(table.rowCount == 3)
            #expect(table.rows.isEmpty)
            #expect(table.keyColumns == ["id"])
            #expect(try database.fingerprint().tables["public.customers"]?.isDigestOnly == false)
        }
    }

    /// Each change moves the digest, and undoing it brings the digest back: equal data, equal digests.
    @Test(arguments: [
        ("insert", "INSERT INTO public.customers VALUES (4, 'Dana', NULL)", "DELETE FROM public.customers WHERE id = 4"),
        ("delete", "DELETE FROM public.customers WHERE id = 2", "INSERT INTO public.customers VALUES (2, 'Brian', NULL)"),
        ("update", "UPDATE public.customers SET name = 'Brian!' WHERE id = 2", "UPDATE public.customers SET name = 'Brian' WHERE id = 2"),
        ("null to empty", "UPDATE public.customers SET note = '' WHERE id = 2", "UPDATE public.customers SET note = NULL WHERE id = 2"),
        ("empty to null", "UPDATE public.customers SET note = NULL WHERE id = 3", "UPDATE public.customers SET note = '' WHERE id = 3"),
        ("text NULL", "UPDATE public.customers SET note = 'NULL' WHERE id = 2", "UPDATE public.customers SET note = NULL WHERE id = 2"),
        ("rename column", "ALTER TABLE public.customers RENAME COLUMN note TO remark", "ALTER TABLE public.customers RENAME COLUMN remark TO note"),
        ("swap values", "UPDATE public.customers SET name = CASE id WHEN 1 THEN 'Brian' ELSE 'Ada' END WHERE id IN (1, 2)",
         "UPDATE public.customers SET name = CASE id WHEN 1 THEN 'Ada' ELSE 'Brian' END WHERE id IN (1, 2)"),
    ])
    func aChangeChangesTheDigest(_ label: String, _ change: String, _ undo: String) throws {
        try CatalogTestServer.withDatabase("digest_change") { database in
            let before = try digest(database, after: Self.customers)
            let changed = try digest(database, after: change)
            #expect(changed != before, "\(label)")
            let diff = DataDiff(from: before, to: changed)
            #expect(diff.tables.map(\.table) == ["public.customers"])
            #expect(diff.text.hasPrefix("table public.customers: rows differ\n  customers: rows differ ("), "\(diff.text)")
            let undone = try digest(database, after: undo)
            #expect(undone == before, "\(label)")
            #expect(DataDiff(from: before, to: undone).isEmpty)
        }
    }

    @Test func rowOrderDoesNotMatter() throws {
        try CatalogTestServer.withDatabase("digest_order") { database in
            let before = try digest(database, after: Self.customers + "CREATE TABLE public.tags (tag text); INSERT INTO public.tags VALUES ('x'), ('y'), ('x');")
            let reordered = try digest(database, after: """
                CREATE TEMPORARY TABLE saved AS SELECT * FROM public.customers ORDER BY id DESC;
                DELETE FROM public.customers;
                INSERT INTO public.customers SELECT * FROM saved;
                DELETE FROM public.tags;
                INSERT INTO public.tags VALUES ('y'), ('x'), ('x');
                CLUSTER public.customers USING customers_pkey;
                VACUUM FULL public.tags;
                """)
            #expect(reordered == before)
            // A duplicated row counts twice.
            #expect(try digest(database, after: "DELETE FROM public.tags WHERE tag = 'y'; INSERT INTO public.tags VALUES ('x')") != before)
        }
    }

    @Test func emptyTablesDigestAlikeAndChangeNoData() throws {
        try CatalogTestServer.withDatabase("digest_empty") { database in
            let data = try digest(database, after: "CREATE TABLE public.empty (id integer PRIMARY KEY, name text)")
            let table = try #require(data.tables["public.empty"])
            #expect(table.rowCount == 0)
            #expect(table.digest == "0")
            let renamed = try digest(database, after: "ALTER TABLE public.empty RENAME COLUMN name TO label")
            #expect(DataDiff(from: data, to: renamed).isEmpty)
            #expect(DataDiff(from: data, to: try digest(database, after: "DROP TABLE public.empty")).isEmpty)
        }
    }

    /// The same tables as the full fingerprint, with its row counts: partitions through their root, inherited
    /// tables by themselves, no views, no extension tables.
    @Test func aDigestReadsTheTablesTheFingerprintReads() throws {
        try CatalogTestServer.withDatabase("digest_tables") { database in
            let data = try digest(database, after: PostgresBatchReadTests.richData + PostgresBatchReadTests.wideTable + """
                CREATE VIEW public.animal_names AS SELECT name FROM public.animals;
                CREATE EXTENSION hstore;
                """)
            let full = try database.fingerprint()
            #expect(Set(data.tables.keys) == Set(full.tables.keys))
            #expect(data.tables.mapValues(\.rowCount) == full.tables.mapValues(\.rows.count))
            #expect(data.tables.mapValues(\.keyColumns) == full.tables.mapValues(\.keyColumns))
            #expect(data.tables["public.measurements"]?.rowCount == 1)
            #expect(data.tables["public.animals"]?.rowCount == 1)
            #expect(data.tables.values.allSatisfy { $0.isDigestOnly })
        }
    }

    /// Output settings a migration left behind do not change the digest; inside a transaction it reads the same.
    @Test func sessionSettingsDoNotChangeTheDigest() throws {
        try CatalogTestServer.withDatabase("digest_settings") { database in
            let before = try digest(database, after: "CREATE TABLE public.t (at timestamptz, r double precision, b bytea); INSERT INTO public.t VALUES (now(), 0.1, '\\x01')")
            let postgres = try #require(database as? PostgresDatabase)
            let connection = try postgres.session()
            for setting in ["DateStyle = 'German, DMY'", "TimeZone = 'Asia/Tokyo'", "extra_float_digits = 0", "bytea_output = 'escape'"] {
                try connection.execute("SET " + setting)
            }
            let reader = PostgresDataReader(connection: connection)
            #expect(try reader.dataDigest() == before)
            try connection.execute("BEGIN")
            #expect(try reader.dataDigest() == before)
            try connection.execute("ROLLBACK")
        }
    }
}
