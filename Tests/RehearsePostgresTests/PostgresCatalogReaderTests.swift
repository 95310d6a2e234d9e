import Foundation
import Testing
@testable import RehearsePostgres
import RehearseCore

/// Starts one disposable PostgreSQL server for a whole suite and stops it when the suite is done.
struct CatalogTestServer: SuiteTrait, TestScoping {
    @TaskLocal static var engine: PostgresEngine?

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let engine = try PostgresEngine.disposable()
        defer { engine.shutdown() }
        try await Self.$engine.withValue(engine) { try await function() }
    }

    /// Creates a scratch database on the suite's server, runs `body` with it and drops it.
    static func withDatabase<T>(_ label: String, _ body: (any ScratchDatabase) throws -> T) throws -> T {
        let engine = try #require(engine, "the suite needs the .catalogServer trait")
        let database = try engine.createDatabase(label: label)
        defer { database.drop() }
        return try body(database)
    }

    /// `sql` as the prepared script of a file called `name`, split by PostgreSQL's own parser.
    static func script(_ sql: String, name: String = "test.sql") throws -> PreparedScript {
        let file = ScriptFile(
            url: URL(fileURLWithPath: "/nonexistent/" + name), displayPath: name,
            role: .forward, phase: "schema", number: nil, summary: name
        )
        return PreparedScript(file: file, statements: try PostgresScriptParser().statements(in: Array(sql.utf8), file: name))
    }
}

extension Trait where Self == CatalogTestServer {
    /// One disposable PostgreSQL server shared by the tests of the suite.
    static var catalogServer: Self { Self() }
}

/// An upgrade whose rollback forgets part of it, and what the reversibility diff must then say.
struct ForgottenChange: Sendable, CustomTestStringConvertible {
    var label: String
    var upgrade: String
    /// The incomplete rollback.
    var rollback: String = "ANALYZE"
    /// What the rollback forgot; applied after it, the database is back to the base schema.
    var remainder: String
    /// Text the diff from base to after-rollback must contain.
    var expected: [String]
    /// Text it must not contain (objects that belong to an extension, …).
    var absent: [String] = []

    var testDescription: String { label }
}

@Suite(.catalogServer)
struct PostgresCatalogReaderTests {
    /// The schema every forgotten change starts from.
    static let base = """
        CREATE TYPE public.mood AS ENUM ('sad', 'ok');
        CREATE DOMAIN public.posint AS integer CHECK (VALUE > 0);
        CREATE TYPE public.pair AS (a integer, b text);
        CREATE TABLE public.customers (id integer PRIMARY KEY, name varchar(100), legacy_code text, price numeric);
        CREATE TABLE public.orders (
            id serial PRIMARY KEY,
            customer_id integer REFERENCES public.customers (id),
            status text,
            qty integer
        );
        CREATE INDEX idx_orders_status ON public.orders (status);
        CREATE VIEW public.active_customers AS SELECT id FROM public.customers WHERE price > 0;
        CREATE SEQUENCE public.invoice_no;
        CREATE FUNCTION public.order_total(order_id integer) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT 0::numeric $$;
        CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        """

    static let forgottenChanges: [ForgottenChange] = [
        ForgottenChange(
            label: "schema",
            upgrade: "CREATE SCHEMA billing; CREATE TABLE billing.invoices (id integer)",
            rollback: "DROP TABLE billing.invoices",
            remainder: "DROP SCHEMA billing",
            expected: ["+ schema billing"]
        ),
        ForgottenChange(
            label: "table",
            upgrade: "CREATE TABLE public.audit_log (id bigint, note text); CREATE INDEX audit_log_note ON public.audit_log (note)",
            rollback: "DROP INDEX public.audit_log_note",
            remainder: "DROP TABLE public.audit_log",
            expected: ["+ table public.audit_log permanent, row level security disabled", "+ column public.audit_log.note text"]
        ),
        ForgottenChange(
            label: "unlogged table",
            upgrade: "ALTER TABLE public.orders SET UNLOGGED",
            remainder: "ALTER TABLE public.orders SET LOGGED",
            expected: ["~ table public.orders: permanent, row level security disabled -> unlogged, row level security disabled"]
        ),
        ForgottenChange(
            label: "partitioned table",
            upgrade: """
                CREATE TABLE public.events (id integer, at date) PARTITION BY RANGE (at);
                CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                """,
            rollback: "DROP TABLE public.events_2024",
            remainder: "DROP TABLE public.events",
            expected: ["+ table public.events permanent, partitioned by RANGE (at), row level security disabled"]
        ),
        ForgottenChange(
            label: "partition",
            upgrade: """
                CREATE TABLE public.events (id integer, at date) PARTITION BY RANGE (at);
                CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                """,
            rollback: "ALTER TABLE public.events DETACH PARTITION public.events_2024; DROP TABLE public.events",
            remainder: "DROP TABLE public.events_2024",
            expected: ["+ table public.events_2024 permanent, row level security disabled"]
        ),
        ForgottenChange(
            label: "row level security",
            upgrade: "ALTER TABLE public.orders ENABLE ROW LEVEL SECURITY; ALTER TABLE public.orders FORCE ROW LEVEL SECURITY",
            rollback: "ALTER TABLE public.orders NO FORCE ROW LEVEL SECURITY",
            remainder: "ALTER TABLE public.orders DISABLE ROW LEVEL SECURITY",
            expected: ["~ table public.orders: permanent, row level security disabled -> permanent, row level security enabled"]
        ),
        ForgottenChange(
            label: "policy",
            upgrade: """
                ALTER TABLE public.orders ENABLE ROW LEVEL SECURITY;
                CREATE POLICY orders_visible ON public.orders FOR SELECT TO PUBLIC USING (status <> 'hidden');
                """,
            rollback: "ALTER TABLE public.orders DISABLE ROW LEVEL SECURITY",
            remainder: "DROP POLICY orders_visible ON public.orders",
            expected: ["+ policy public.orders.orders_visible for SELECT permissive to public using (status <> 'hidden'::text)"]
        ),
        ForgottenChange(
            label: "column added",
            upgrade: "ALTER TABLE public.customers ADD COLUMN email varchar(255) NOT NULL DEFAULT 'x'",
            remainder: "ALTER TABLE public.customers DROP COLUMN email",
            expected: ["+ column public.customers.email character varying(255) not null default 'x'"]
        ),
        ForgottenChange(
            label: "column type",
            upgrade: "ALTER TABLE public.customers ALTER COLUMN name TYPE varchar(200)",
            remainder: "ALTER TABLE public.customers ALTER COLUMN name TYPE varchar(100)",
            expected: ["~ column public.customers.name: character varying(100) -> character varying(200)"]
        ),
        ForgottenChange(
            label: "column nullability",
            upgrade: "ALTER TABLE public.customers ALTER COLUMN name SET NOT NULL",
            remainder: "ALTER TABLE public.customers ALTER COLUMN name DROP NOT NULL",
            expected: ["~ column public.customers.name: character varying(100) -> character varying(100) not null"]
        ),
        ForgottenChange(
            label: "column default",
            upgrade: "ALTER TABLE public.orders ALTER COLUMN status SET DEFAULT 'new'",
            remainder: "ALTER TABLE public.orders ALTER COLUMN status DROP DEFAULT",
            expected: ["~ column public.orders.status: text -> text default 'new'"]
        ),
        ForgottenChange(
            label: "column identity",
            upgrade: "ALTER TABLE public.customers ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY",
            remainder: "ALTER TABLE public.customers ALTER COLUMN id DROP IDENTITY",
            expected: ["~ column public.customers.id: integer not null -> integer not null identity by default"],
            absent: ["sequence public.customers_id_seq"]
        ),
        ForgottenChange(
            label: "generated column",
            upgrade: "ALTER TABLE public.orders ADD COLUMN double_qty integer GENERATED ALWAYS AS (qty * 2) STORED",
            remainder: "ALTER TABLE public.orders DROP COLUMN double_qty",
            expected: ["+ column public.orders.double_qty integer generated always as (qty * 2) stored"]
        ),
        ForgottenChange(
            label: "column collation",
            upgrade: #"ALTER TABLE public.customers ALTER COLUMN legacy_code TYPE text COLLATE "C""#,
            remainder: "ALTER TABLE public.customers ALTER COLUMN legacy_code TYPE text COLLATE \"default\"",
            expected: [#"~ column public.customers.legacy_code: text -> text collate "C""#]
        ),
        ForgottenChange(
            label: "constraint",
            upgrade: "ALTER TABLE public.orders ADD CONSTRAINT orders_qty_positive CHECK (qty > 0)",
            remainder: "ALTER TABLE public.orders DROP CONSTRAINT orders_qty_positive",
            expected: ["+ constraint public.orders.orders_qty_positive CHECK ((qty > 0))"]
        ),
        ForgottenChange(
            label: "index",
            upgrade: "DROP INDEX public.idx_orders_status; CREATE UNIQUE INDEX idx_orders_status ON public.orders (status)",
            remainder: "DROP INDEX public.idx_orders_status; CREATE INDEX idx_orders_status ON public.orders (status)",
            expected: [
                "~ index public.idx_orders_status: CREATE INDEX idx_orders_status ON public.orders USING btree (status)"
                    + " -> CREATE UNIQUE INDEX idx_orders_status ON public.orders USING btree (status)",
            ]
        ),
        ForgottenChange(
            label: "view",
            upgrade: """
                CREATE OR REPLACE VIEW public.active_customers AS
                    SELECT id FROM public.customers WHERE price > 0 AND id > 10
                """,
            remainder: """
                CREATE OR REPLACE VIEW public.active_customers AS
                    SELECT id FROM public.customers WHERE price > 0
                """,
            expected: ["~ view public.active_customers: SELECT", "AND customers.id > 10"]
        ),
        ForgottenChange(
            label: "materialized view",
            upgrade: "CREATE MATERIALIZED VIEW public.order_counts AS SELECT status, count(*) AS n FROM public.orders GROUP BY status",
            remainder: "DROP MATERIALIZED VIEW public.order_counts",
            expected: ["+ materialized view public.order_counts SELECT orders.status, count(*) AS n FROM public.orders GROUP BY orders.status"]
        ),
        ForgottenChange(
            label: "sequence",
            upgrade: "ALTER SEQUENCE public.invoice_no INCREMENT BY 10",
            remainder: "ALTER SEQUENCE public.invoice_no INCREMENT BY 1",
            expected: [
                "~ sequence public.invoice_no: as bigint start 1 increment 1 minvalue 1 maxvalue 9223372036854775807 cache 1 no cycle"
                    + " -> as bigint start 1 increment 10 minvalue 1 maxvalue 9223372036854775807 cache 1 no cycle",
            ]
        ),
        ForgottenChange(
            label: "function",
            upgrade: "CREATE OR REPLACE FUNCTION public.order_total(order_id integer) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT 1::numeric $$",
            remainder: "CREATE OR REPLACE FUNCTION public.order_total(order_id integer) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT 0::numeric $$",
            expected: ["~ function public.order_total(integer):", "- AS $function$ SELECT 0::numeric $function$", "+ AS $function$ SELECT 1::numeric $function$"]
        ),
        ForgottenChange(
            label: "function overload",
            upgrade: "CREATE FUNCTION public.order_total(order_id integer, with_tax boolean) RETURNS numeric LANGUAGE sql AS $$ SELECT 2::numeric $$",
            remainder: "DROP FUNCTION public.order_total(integer, boolean)",
            expected: ["+ function public.order_total(integer, boolean) CREATE OR REPLACE FUNCTION public.order_total(order_id integer, with_tax boolean) …"]
        ),
        ForgottenChange(
            label: "procedure",
            upgrade: "CREATE PROCEDURE public.archive_orders(before_id integer) LANGUAGE sql AS $$ DELETE FROM public.orders WHERE id < before_id $$",
            remainder: "DROP PROCEDURE public.archive_orders(integer)",
            expected: ["+ procedure public.archive_orders(integer) CREATE OR REPLACE PROCEDURE public.archive_orders(IN before_id integer) …"]
        ),
        ForgottenChange(
            label: "aggregate",
            upgrade: "CREATE AGGREGATE public.total_qty(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '0')",
            remainder: "DROP AGGREGATE public.total_qty(integer)",
            expected: ["+ aggregate public.total_qty(integer) sfunc int4pl stype integer initcond '0' returns integer"]
        ),
        ForgottenChange(
            label: "trigger",
            upgrade: "CREATE TRIGGER orders_touch BEFORE UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION public.touch()",
            remainder: "DROP TRIGGER orders_touch ON public.orders",
            expected: ["+ trigger public.orders.orders_touch CREATE TRIGGER orders_touch BEFORE UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION public.touch()"]
        ),
        ForgottenChange(
            label: "disabled trigger",
            upgrade: """
                CREATE TRIGGER orders_touch BEFORE UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION public.touch();
                ALTER TABLE public.orders DISABLE TRIGGER orders_touch;
                """,
            rollback: "ALTER TABLE public.orders ENABLE TRIGGER orders_touch",
            remainder: "DROP TRIGGER orders_touch ON public.orders",
            expected: ["+ trigger public.orders.orders_touch CREATE TRIGGER orders_touch"]
        ),
        ForgottenChange(
            label: "enum type",
            upgrade: "ALTER TYPE public.mood ADD VALUE 'happy'",
            remainder: "DROP TYPE public.mood; CREATE TYPE public.mood AS ENUM ('sad', 'ok')",
            expected: ["~ type public.mood: enum ('sad', 'ok') -> enum ('sad', 'ok', 'happy')"]
        ),
        ForgottenChange(
            label: "domain type",
            upgrade: "ALTER DOMAIN public.posint ADD CONSTRAINT posint_small CHECK (VALUE < 1000); ALTER DOMAIN public.posint SET DEFAULT 1",
            rollback: "ALTER DOMAIN public.posint DROP DEFAULT",
            remainder: "ALTER DOMAIN public.posint DROP CONSTRAINT posint_small",
            expected: [
                "~ type public.posint: domain integer constraint posint_check CHECK ((VALUE > 0))"
                    + " -> domain integer constraint posint_check CHECK ((VALUE > 0)) constraint posint_small CHECK ((VALUE < 1000))",
            ]
        ),
        ForgottenChange(
            label: "composite type",
            upgrade: "ALTER TYPE public.pair ADD ATTRIBUTE c date",
            remainder: "ALTER TYPE public.pair DROP ATTRIBUTE c",
            expected: ["~ type public.pair: composite (a integer, b text) -> composite (a integer, b text, c date)"]
        ),
        ForgottenChange(
            label: "extension",
            upgrade: "CREATE EXTENSION citext; CREATE EXTENSION hstore",
            rollback: "DROP EXTENSION hstore",
            remainder: "DROP EXTENSION citext",
            expected: ["+ extension citext version ", " schema public"],
            absent: ["function public.citext", "type public.citext", "hstore"]
        ),
        ForgottenChange(
            label: "rule",
            upgrade: "CREATE RULE orders_keep AS ON DELETE TO public.orders DO INSTEAD NOTHING",
            remainder: "DROP RULE orders_keep ON public.orders",
            expected: ["+ rule public.orders.orders_keep CREATE RULE orders_keep AS ON DELETE TO public.orders DO INSTEAD NOTHING"]
        ),
        ForgottenChange(
            label: "event trigger",
            upgrade: """
                CREATE FUNCTION public.note_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
                CREATE EVENT TRIGGER note_tables ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION public.note_ddl();
                """,
            rollback: "ALTER EVENT TRIGGER note_tables DISABLE",
            remainder: "DROP EVENT TRIGGER note_tables; DROP FUNCTION public.note_ddl()",
            expected: [
                "+ event trigger note_tables on ddl_command_end when tag in (CREATE TABLE) execute public.note_ddl() (disabled)",
                "+ function public.note_ddl()",
            ]
        ),
        ForgottenChange(
            label: "comment",
            upgrade: "COMMENT ON COLUMN public.customers.name IS 'full name'; COMMENT ON TABLE public.orders IS 'what was bought'",
            rollback: "COMMENT ON TABLE public.orders IS NULL",
            remainder: "COMMENT ON COLUMN public.customers.name IS NULL",
            expected: ["+ comment comment on column public.customers.name 'full name'"],
            absent: ["public.orders"]
        ),
    ]

    /// Every kind of object the snapshot reads shows up when a rollback forgets to undo it,
    /// and finishing the rollback brings back exactly the base snapshot.
    @Test(arguments: forgottenChanges)
    func forgottenChangeShowsInTheDiff(_ change: ForgottenChange) throws {
        try CatalogTestServer.withDatabase("catalog") { database in
            try database.apply(CatalogTestServer.script(Self.base, name: "base.sql"))
            let base = try database.snapshot()
            try database.apply(CatalogTestServer.script(change.upgrade, name: "upgrade.sql"))
            let upgraded = try database.snapshot()
            #expect(!SnapshotDiff(from: base, to: upgraded).isEmpty, "the upgrade itself changes the snapshot")

            try database.apply(CatalogTestServer.script(change.rollback, name: "rollback.sql"))
            let diff = SnapshotDiff(from: base, to: try database.snapshot())
            #expect(!diff.isEmpty)
            for text in change.expected {
                #expect(diff.text.contains(text), "diff should contain \(text)\n--- diff:\n\(diff.text)")
            }
            for text in change.absent {
                #expect(!diff.text.contains(text), "diff should not contain \(text)\n--- diff:\n\(diff.text)")
            }

            try database.apply(CatalogTestServer.script(change.remainder, name: "remainder.sql"))
            let finished = SnapshotDiff(from: base, to: try database.snapshot())
            #expect(finished.isEmpty, "a complete rollback leaves no difference, but:\n\(finished.text)")
        }
    }

    @Test func freshDatabaseHoldsOnlyWhatEveryDatabaseHas() throws {
        let snapshot = try CatalogTestServer.withDatabase("fresh") { try $0.snapshot() }
        #expect(Set(snapshot.objects.map(\.kind)).isSubset(of: ["schema", "extension", "comment"]))
        #expect(snapshot.object(kind: "schema", name: "public") != nil)
        #expect(snapshot.object(kind: "extension", name: "plpgsql")?.definition.hasPrefix("version ") == true)
        #expect(!snapshot.objects.contains { $0.name.hasPrefix("pg_") || $0.name.hasPrefix("information_schema") })
    }

    @Test func snapshotCoversEveryKindWithReadableDefinitions() throws {
        let snapshot = try CatalogTestServer.withDatabase("kinds") { database in
            try database.apply(CatalogTestServer.script(Self.base + """
                CREATE MATERIALIZED VIEW public.order_counts AS SELECT status, count(*) AS n FROM public.orders GROUP BY status;
                CREATE PROCEDURE public.archive_orders(before_id integer) LANGUAGE sql AS $$ DELETE FROM public.orders WHERE id < before_id $$;
                CREATE AGGREGATE public.total_qty(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '0');
                CREATE TRIGGER orders_touch BEFORE UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION public.touch();
                CREATE EXTENSION citext;
                ALTER TABLE public.orders ENABLE ROW LEVEL SECURITY;
                CREATE POLICY orders_visible ON public.orders FOR UPDATE TO PUBLIC USING (true) WITH CHECK (qty > 0);
                COMMENT ON SCHEMA public IS 'the shop';
                COMMENT ON TABLE public.orders IS 'what was bought';
                """))
            return try database.snapshot()
        }
        let kinds = Set(snapshot.objects.map(\.kind))
        #expect(kinds == [
            "schema", "table", "column", "constraint", "index", "view", "materialized view", "sequence", "function",
            "procedure", "aggregate", "trigger", "type", "extension", "policy", "comment",
        ])
        #expect(snapshot.object(kind: "column", name: "public.orders.id")?.definition
            == "integer not null default nextval('public.orders_id_seq'::regclass)")
        #expect(snapshot.object(kind: "column", name: "public.orders.qty")?.position == 4)
        #expect(snapshot.object(kind: "sequence", name: "public.orders_id_seq")?.definition
            == "as integer start 1 increment 1 minvalue 1 maxvalue 2147483647 cache 1 no cycle owned by public.orders.id")
        #expect(snapshot.object(kind: "constraint", name: "public.orders.orders_customer_id_fkey")?.definition
            == "FOREIGN KEY (customer_id) REFERENCES public.customers(id)")
        #expect(snapshot.object(kind: "type", name: "public.mood")?.definition == "enum ('sad', 'ok')")
        #expect(snapshot.object(kind: "policy", name: "public.orders.orders_visible")?.definition
            == "for UPDATE permissive to public using (true) with check (qty > 0)")
        #expect(snapshot.object(kind: "comment", name: "comment on schema public")?.definition == "'the shop'")
        #expect(snapshot.object(kind: "comment", name: "comment on table public.orders")?.definition == "'what was bought'")
        // A primary key's index is the constraint; it is not listed twice.
        #expect(snapshot.object(kind: "index", name: "public.orders_pkey") == nil)
        // Extension members stay out: citext's type and functions belong to the extension.
        #expect(!snapshot.objects.contains { $0.kind != "extension" && $0.kind != "comment" && $0.name.contains("citext") })
        // Functions are named by argument types, procedures are told apart from functions.
        #expect(snapshot.object(kind: "function", name: "public.order_total(integer)") != nil)
        #expect(snapshot.object(kind: "procedure", name: "public.archive_orders(integer)") != nil)
    }

    @Test func sameSchemaBuiltInAnotherOrderGivesTheSameSnapshot() throws {
        let forward = """
            CREATE TYPE public.state AS ENUM ('new', 'paid');
            CREATE TABLE public.customers (id integer PRIMARY KEY, name text NOT NULL);
            CREATE TABLE public.orders (id integer PRIMARY KEY, customer_id integer, state public.state DEFAULT 'new');
            ALTER TABLE public.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES public.customers (id);
            CREATE INDEX orders_customer ON public.orders (customer_id);
            CREATE VIEW public.paid_orders AS SELECT id, customer_id FROM public.orders WHERE state = 'paid';
            CREATE FUNCTION public.order_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM public.orders $$;
            CREATE SEQUENCE public.invoice_no START 100;
            COMMENT ON TABLE public.orders IS 'orders';
            """
        let reordered = """
            CREATE SEQUENCE public.invoice_no START 100;
            CREATE TYPE public.state AS ENUM ('new', 'paid');
            CREATE TABLE public.orders (id integer PRIMARY KEY, customer_id integer, state public.state DEFAULT 'new');
            COMMENT ON TABLE public.orders IS 'orders';
            CREATE INDEX orders_customer ON public.orders (customer_id);
            CREATE FUNCTION public.order_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM public.orders $$;
            CREATE VIEW public.paid_orders AS SELECT id, customer_id FROM public.orders WHERE state = 'paid';
            CREATE TABLE public.customers (id integer PRIMARY KEY, name text NOT NULL);
            ALTER TABLE public.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES public.customers (id);
            """
        let first = try CatalogTestServer.withDatabase("order_a") { database in
            try database.apply(CatalogTestServer.script(forward))
            return try database.snapshot()
        }
        let second = try CatalogTestServer.withDatabase("order_b") { database in
            try database.apply(CatalogTestServer.script(reordered))
            return try database.snapshot()
        }
        #expect(first.objects.count > 10)
        #expect(first == second, "\(SnapshotDiff(from: first, to: second).text)")
    }

    @Test func columnOrderIsANoteUnlessStrict() throws {
        let first = try CatalogTestServer.withDatabase("columns_a") { database in
            try database.apply(CatalogTestServer.script("CREATE TABLE public.t (a integer, b text)"))
            return try database.snapshot()
        }
        let second = try CatalogTestServer.withDatabase("columns_b") { database in
            try database.apply(CatalogTestServer.script("CREATE TABLE public.t (b text, a integer)"))
            return try database.snapshot()
        }
        let lenient = SnapshotDiff(from: first, to: second)
        #expect(lenient.isEmpty)
        #expect(lenient.notes.contains("  column public.t.a moved from position 1 to 2"))
        let strict = SnapshotDiff(from: first, to: second, strictColumnOrder: true)
        #expect(strict.lines.contains("~ column public.t.a: position 1 -> 2"))
    }

    @Test func positionCountsLiveColumnsOnly() throws {
        let dropped = try CatalogTestServer.withDatabase("dropped") { database in
            try database.apply(CatalogTestServer.script("CREATE TABLE public.t (a integer, b text, c date); ALTER TABLE public.t DROP COLUMN b"))
            return try database.snapshot()
        }
        let fresh = try CatalogTestServer.withDatabase("undropped") { database in
            try database.apply(CatalogTestServer.script("CREATE TABLE public.t (a integer, c date)"))
            return try database.snapshot()
        }
        #expect(dropped.object(kind: "column", name: "public.t.c")?.position == 2)
        #expect(SnapshotDiff(from: dropped, to: fresh, strictColumnOrder: true).isEmpty)
    }

    /// A migration that changes `search_path` must not change how names are printed.
    @Test func namesStayQualifiedWhateverTheSearchPath() throws {
        let snapshot = try CatalogTestServer.withDatabase("search_path") { database in
            try database.apply(CatalogTestServer.script("""
                CREATE SCHEMA app;
                CREATE TYPE app.mood AS ENUM ('a', 'b');
                CREATE TABLE app.t (id integer PRIMARY KEY, m app.mood);
                SET search_path = app, public;
                CREATE INDEX t_m ON t (m);
                """))
            return try database.snapshot()
        }
        #expect(snapshot.object(kind: "column", name: "app.t.m")?.definition == "app.mood")
        #expect(snapshot.object(kind: "index", name: "app.t_m")?.definition == "CREATE INDEX t_m ON app.t USING btree (m)")
    }
}
