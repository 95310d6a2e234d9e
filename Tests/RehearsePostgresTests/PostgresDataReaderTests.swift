import Testing
@testable import RehearsePostgres
import RehearseCore

@Suite(.catalogServer)
struct PostgresDataReaderTests {
    static let customers = """
        CREATE TABLE public.customers (id integer PRIMARY KEY, name text NOT NULL, legacy_code text);
        """

    /// Builds a database from `sql` and returns its fingerprint.
    private func fingerprint(_ label: String, _ sql: String) throws -> DataFingerprint {
        try CatalogTestServer.withDatabase(label) { database in
            try database.apply(CatalogTestServer.script(sql))
            return try database.fingerprint()
        }
    }

    @Test func insertionOrderDoesNotMatter() throws {
        let first = try fingerprint("rows_a", Self.customers + """
            INSERT INTO public.customers VALUES (1, 'Ada', 'A-1'), (2, 'Brian', 'B-2'), (3, 'Chen', NULL);
            CREATE TABLE public.tags (tag text);
            INSERT INTO public.tags VALUES ('x'), ('y'), ('x');
            """)
        let second = try fingerprint("rows_b", Self.customers + """
            CREATE TABLE public.tags (tag text);
            INSERT INTO public.tags VALUES ('x'), ('x'), ('y');
            INSERT INTO public.customers VALUES (3, 'Chen', 'C-3'), (2, 'Brian', 'B-2');
            INSERT INTO public.customers VALUES (1, 'Ada', 'A-1');
            UPDATE public.customers SET legacy_code = NULL WHERE id = 3;
            """)
        #expect(first.tables["public.customers"]?.rows.count == 3)
        #expect(first == second)
        #expect(DataDiff(from: first, to: second).isEmpty)
    }

    @Test func changedValueReadsByPrimaryKey() throws {
        try CatalogTestServer.withDatabase("changed") { database in
            try database.apply(CatalogTestServer.script(Self.customers + """
                INSERT INTO public.customers VALUES (1, 'Ada', 'A-1'), (2, 'Brian', 'B-2');
                """))
            let before = try database.fingerprint()
            #expect(before.tables["public.customers"]?.keyColumns == ["id"])
            try database.apply(CatalogTestServer.script("UPDATE public.customers SET legacy_code = NULL WHERE id = 2"))
            let diff = DataDiff(from: before, to: try database.fingerprint())
            #expect(diff.text.contains("customers id=2: legacy_code 'B-2' -> NULL"), "\(diff.text)")
            #expect(!diff.text.contains("id=1"))
        }
    }

    @Test func valuesAreTextAndNullStaysNull() throws {
        let data = try fingerprint("values", """
            CREATE TABLE public."Odd Name" (
                "Key" integer PRIMARY KEY, payload bytea, numbers integer[], doc json, docb jsonb,
                at timestamptz, ratio double precision, note text
            );
            SET TimeZone = 'America/New_York';
            SET bytea_output = 'escape';
            INSERT INTO public."Odd Name" VALUES
                (1, '\\x00ff', '{1,NULL,3}', '{"a":  1}', '{"a":  1}', '2024-01-02 03:04:05+02', 0.1, 'it''s'),
                (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
            """)
        let table = try #require(data.tables["public.Odd Name"])
        #expect(table.keyColumns == ["Key"])
        #expect(table.rows.map(\.key) == ["Key=1", "Key=2"])
        let first = table.rows[0]
        #expect(first.columns == ["Key", "payload", "numbers", "doc", "docb", "at", "ratio", "note"])
        #expect(first.value(of: "payload") == .some("\\x00ff"))
        #expect(first.value(of: "numbers") == .some("{1,NULL,3}"))
        #expect(first.value(of: "doc") == .some("{\"a\":  1}"))
        #expect(first.value(of: "docb") == .some("{\"a\": 1}"))
        #expect(first.value(of: "at") == .some("2024-01-02 01:04:05+00"))
        #expect(first.value(of: "ratio") == .some("0.1"))
        #expect(first.value(of: "note") == .some("it's"))
        #expect(table.rows[1].values == ["2", nil, nil, nil, nil, nil, nil, nil])
    }

    @Test func compositeKeyFollowsTheKeyDefinition() throws {
        let data = try fingerprint("composite", """
            CREATE TABLE public.prices (region text, sku integer, amount numeric, PRIMARY KEY (sku, region));
            INSERT INTO public.prices VALUES ('eu', 7, 9.50);
            """)
        let table = try #require(data.tables["public.prices"])
        #expect(table.keyColumns == ["sku", "region"])
        #expect(table.rows.map(\.key) == ["sku=7, region=eu"])
        #expect(table.rows[0].values == ["eu", "7", "9.50"])
    }

    @Test func withoutPrimaryKeyTheWholeRowIsTheKey() throws {
        let data = try fingerprint("nokey", """
            CREATE TABLE public.events (kind text, amount integer);
            INSERT INTO public.events VALUES ('paid', 1), ('paid', 1), (NULL, 2);
            """)
        let table = try #require(data.tables["public.events"])
        #expect(table.keyColumns == ["kind", "amount"])
        #expect(table.rows.map(\.key).sorted() == ["kind=NULL, amount=2", "kind=paid, amount=1", "kind=paid, amount=1"])
    }

    @Test func partitionsAreReadThroughTheirRootAndViewsAreNotRead() throws {
        let data = try fingerprint("partitions", """
            CREATE TABLE public.measurements (id integer, at date) PARTITION BY RANGE (at);
            CREATE TABLE public.measurements_2024 PARTITION OF public.measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            CREATE TABLE public.measurements_2025 PARTITION OF public.measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            INSERT INTO public.measurements VALUES (1, '2024-03-01'), (2, '2025-03-01');
            CREATE TABLE public.animals (name text);
            CREATE TABLE public.dogs (breed text) INHERITS (public.animals);
            INSERT INTO public.animals VALUES ('cat');
            INSERT INTO public.dogs VALUES ('rex', 'collie');
            CREATE VIEW public.animal_names AS SELECT name FROM public.animals;
            CREATE TABLE public.nothing ();
            INSERT INTO public.nothing DEFAULT VALUES;
            """)
        #expect(Set(data.tables.keys) == ["public.measurements", "public.animals", "public.dogs", "public.nothing"])
        #expect(data.tables["public.measurements"]?.rows.count == 2)
        #expect(data.tables["public.animals"]?.rows.map(\.key) == ["name=cat"])
        #expect(data.tables["public.dogs"]?.rows.map(\.key) == ["name=rex, breed=collie"])
        #expect(data.tables["public.nothing"]?.rows.map(\.key) == ["()"])
    }

    @Test func extensionTablesAndFreshDatabasesHaveNoData() throws {
        let data = try fingerprint("empty", "CREATE EXTENSION hstore")
        #expect(data.tables.isEmpty)
    }
}
