import Testing
import RehearseCore
@testable import RehearsePostgres

/// The objects the parser names for each statement are checked against what the catalog reader sees change when
/// that statement runs on a real server.
@Suite(.disposablePostgres) struct StatementObjectTests {
    struct Case: Sendable, CustomTestStringConvertible {
        /// What the kind of statement is, for the test's name.
        let kind: String
        /// Run first, unchecked.
        let setup: String
        /// One file: every statement's objects must be what that statement changed in the snapshot.
        let sql: String
        /// The server also changes objects the statement alone cannot name (the columns of a dropped table):
        /// every named object must have changed that way, not the other way round.
        var partial = false

        var testDescription: String { kind }
    }

    static let cases: [Case] = [
        Case(
            kind: "CREATE TABLE with inline constraints and a serial column",
            setup: "CREATE TABLE customers (id int PRIMARY KEY);",
            sql: """
            CREATE TABLE orders (
                id serial PRIMARY KEY,
                code text UNIQUE,
                qty int CHECK (qty > 0) CHECK (qty < 1000),
                customer_id int REFERENCES customers (id),
                status text NOT NULL DEFAULT 'new',
                total numeric(10, 2) GENERATED ALWAYS AS (qty * 2) STORED,
                line bigint GENERATED ALWAYS AS IDENTITY,
                CONSTRAINT orders_code_status UNIQUE (code, status),
                UNIQUE (status) INCLUDE (code),
                UNIQUE (id, code),
                CHECK (qty < 100 OR status <> 'new'),
                FOREIGN KEY (customer_id, code) REFERENCES orders (id, code) MATCH SIMPLE,
                EXCLUDE USING btree (code WITH =, (lower(status)) WITH =)
            );
            """
        ),
        Case(
            kind: "CREATE TABLE with quoted names in a schema",
            setup: "CREATE SCHEMA app;",
            sql: #"CREATE TABLE app."Order Lines" ("Line" int PRIMARY KEY, "Note" text CHECK ("Note" <> ''));"#
        ),
        Case(
            kind: "CREATE TABLE … PARTITION OF, CREATE TABLE AS, SELECT INTO",
            setup: "CREATE TABLE events (at date NOT NULL, kind text) PARTITION BY RANGE (at);",
            sql: """
            CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            CREATE TABLE copied AS SELECT 1 AS n;
            SELECT 2 AS n INTO selected;
            CREATE TEMPORARY TABLE scratch (n int);
            """,
            partial: true
        ),
        Case(
            kind: "SET search_path moves unqualified names",
            setup: "CREATE SCHEMA app;",
            sql: """
            SET search_path = "$user", app, public;
            CREATE TABLE t (id int PRIMARY KEY);
            CREATE INDEX ON t (id);
            CREATE FUNCTION f(t) RETURNS int LANGUAGE sql AS 'select 1';
            RESET search_path;
            CREATE TABLE u (id int);
            """
        ),
        Case(
            kind: "pg_dump's set_config and qualified names",
            setup: "",
            sql: """
            SELECT pg_catalog.set_config('search_path', '', false);
            CREATE TABLE public.t (id integer NOT NULL);
            ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);
            COMMENT ON TABLE public.t IS 'dumped';
            """
        ),
        Case(
            kind: "ALTER TABLE columns and constraints",
            setup: "CREATE TABLE t (a int, b text, c int CONSTRAINT c_positive CHECK (c > 0), f int, CONSTRAINT f_unique UNIQUE (f));",
            sql: """
            ALTER TABLE t ADD COLUMN d int UNIQUE, DROP COLUMN b, ALTER COLUMN a TYPE bigint, ALTER COLUMN a SET NOT NULL;
            ALTER TABLE t ADD CONSTRAINT a_small CHECK (a < 10), DROP CONSTRAINT c_positive;
            ALTER TABLE t ADD PRIMARY KEY (a);
            ALTER TABLE t ADD CHECK (a > 0 AND d > 0), ADD CHECK (d < 5);
            ALTER TABLE t ADD COLUMN e bigserial;
            ALTER TABLE t ALTER COLUMN c SET DEFAULT 1, ALTER COLUMN d SET DEFAULT 2;
            ALTER TABLE t ADD CONSTRAINT d_ref FOREIGN KEY (d) REFERENCES t (a) NOT VALID;
            ALTER TABLE t VALIDATE CONSTRAINT d_ref;
            ALTER TABLE t ALTER CONSTRAINT d_ref DEFERRABLE;
            ALTER TABLE t ENABLE ROW LEVEL SECURITY;
            ALTER TABLE t SET UNLOGGED;
            """
        ),
        Case(
            kind: "ALTER TABLE … ADD CONSTRAINT … USING INDEX",
            setup: "CREATE TABLE t (a int NOT NULL, b int); CREATE UNIQUE INDEX t_a ON t (a); CREATE UNIQUE INDEX t_b ON t (b);",
            sql: """
            ALTER TABLE t ADD PRIMARY KEY USING INDEX t_a;
            ALTER TABLE t ADD CONSTRAINT t_b_unique UNIQUE USING INDEX t_b;
            """
        ),
        Case(
            kind: "CREATE INDEX and DROP INDEX",
            setup: "CREATE SCHEMA app; CREATE TABLE app.t (a int, b text, c int);",
            sql: """
            CREATE INDEX idx_t_a ON app.t (a);
            CREATE INDEX ON app.t (a, b);
            CREATE UNIQUE INDEX ON app.t (lower(b));
            CREATE INDEX ON app.t ((a + 1), (c + 1));
            CREATE INDEX ON app.t (c) INCLUDE (b);
            CREATE INDEX ON app.t ((b::text), coalesce(c, 0), (a::text));
            CREATE INDEX CONCURRENTLY ON app.t (b, b);
            DROP INDEX app.idx_t_a;
            """
        ),
        Case(
            kind: "views and materialized views",
            setup: "CREATE TABLE t (a int);",
            sql: """
            CREATE VIEW v AS SELECT a FROM t;
            CREATE MATERIALIZED VIEW mv AS SELECT a FROM t;
            ALTER VIEW v RENAME TO w;
            ALTER MATERIALIZED VIEW mv RENAME TO mv2;
            CREATE OR REPLACE VIEW v2 AS SELECT a + 1 AS b FROM t;
            DROP VIEW w;
            DROP MATERIALIZED VIEW mv2;
            """
        ),
        Case(
            kind: "functions and procedures with their signatures",
            setup: "CREATE TYPE mood AS ENUM ('ok'); CREATE TABLE t (a int); CREATE EXTENSION citext;",
            sql: """
            CREATE FUNCTION add(a int, b integer) RETURNS int LANGUAGE sql AS 'select a + b';
            CREATE FUNCTION many(varchar(3), timestamptz, "char", numeric(10,2), text[], mood, bool, double precision,
                time, bit varying, character(2), timestamp, int8, smallint, real, t, citext, interval, jsonb, uuid, mood[])
                RETURNS void LANGUAGE sql AS '';
            CREATE FUNCTION outs(IN a int, OUT b text, INOUT c int, VARIADIC d int[]) LANGUAGE sql AS 'select ''x'', 1';
            CREATE FUNCTION tab(a int) RETURNS TABLE (x int, y text) LANGUAGE sql AS 'select 1, ''y''';
            CREATE FUNCTION trig() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
            CREATE PROCEDURE proc(a int, OUT b int) LANGUAGE sql AS 'select 1';
            CREATE PROCEDURE plain() LANGUAGE sql AS '';
            CREATE OR REPLACE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql AS 'select a + b + 0';
            ALTER FUNCTION add(int, int) STABLE;
            ALTER FUNCTION add(int, int) RENAME TO plus;
            ALTER PROCEDURE plain() RENAME TO nothing;
            COMMENT ON FUNCTION plus(integer, integer) IS 'adds';
            DROP FUNCTION many(varchar, timestamp with time zone, "char", numeric, text[], mood, boolean, float8, time,
                varbit, char, timestamp, bigint, int2, float4, t, citext, interval, jsonb, uuid, mood[]);
            DROP PROCEDURE proc(int, OUT int);
            """
        ),
        Case(
            kind: "triggers",
            setup: """
            CREATE TABLE t (a int);
            CREATE FUNCTION trig() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
            """,
            sql: """
            CREATE TRIGGER t_audit AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION trig();
            ALTER TABLE t DISABLE TRIGGER t_audit;
            ALTER TRIGGER t_audit ON t RENAME TO t_log;
            COMMENT ON TRIGGER t_log ON t IS 'logs';
            DROP TRIGGER t_log ON t;
            """
        ),
        Case(
            kind: "types and domains",
            setup: "CREATE SCHEMA app;",
            sql: """
            CREATE TYPE mood AS ENUM ('sad', 'ok');
            ALTER TYPE mood ADD VALUE 'happy';
            ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';
            CREATE TYPE app.pair AS (a int, b text);
            ALTER TYPE app.pair ADD ATTRIBUTE c int;
            CREATE TYPE span AS RANGE (subtype = int4);
            CREATE DOMAIN positive AS int CHECK (VALUE > 0);
            ALTER DOMAIN positive SET DEFAULT 1;
            ALTER TYPE mood RENAME TO feeling;
            COMMENT ON TYPE feeling IS 'how';
            COMMENT ON DOMAIN positive IS 'more than zero';
            DROP TYPE app.pair;
            DROP DOMAIN positive;
            """
        ),
        Case(
            kind: "sequences",
            setup: "CREATE TABLE t (a int);",
            sql: """
            CREATE SEQUENCE seq START 10;
            ALTER SEQUENCE seq INCREMENT BY 5;
            ALTER SEQUENCE seq OWNED BY t.a;
            COMMENT ON SEQUENCE seq IS 'numbers';
            ALTER SEQUENCE seq RENAME TO numbers;
            DROP SEQUENCE numbers;
            """
        ),
        Case(
            kind: "extensions",
            setup: "CREATE SCHEMA ext;",
            sql: """
            CREATE EXTENSION IF NOT EXISTS hstore;
            CREATE EXTENSION citext SCHEMA ext;
            ALTER EXTENSION citext SET SCHEMA public;
            COMMENT ON EXTENSION hstore IS 'key value';
            DROP EXTENSION hstore;
            """
        ),
        Case(
            kind: "schemas",
            setup: "",
            sql: """
            CREATE SCHEMA app CREATE TABLE items (id int PRIMARY KEY) CREATE VIEW names AS SELECT id FROM items;
            CREATE SCHEMA IF NOT EXISTS other;
            COMMENT ON SCHEMA other IS 'the other one';
            DROP SCHEMA other;
            """
        ),
        Case(
            kind: "policies and row level security",
            setup: "CREATE TABLE t (owner text);",
            sql: """
            CREATE POLICY own ON t USING (owner = current_user);
            ALTER POLICY own ON t USING (owner = session_user);
            ALTER POLICY own ON t RENAME TO mine;
            COMMENT ON POLICY mine ON t IS 'rows of the owner';
            DROP POLICY mine ON t;
            """
        ),
        Case(
            kind: "COMMENT ON",
            setup: """
            CREATE TABLE t (a int CONSTRAINT a_positive CHECK (a > 0));
            CREATE INDEX t_a ON t (a);
            CREATE VIEW v AS SELECT a FROM t;
            CREATE MATERIALIZED VIEW mv AS SELECT a FROM t;
            COMMENT ON COLUMN t.a IS 'old';
            """,
            sql: """
            COMMENT ON TABLE t IS 'things';
            COMMENT ON COLUMN public.t.a IS NULL;
            COMMENT ON CONSTRAINT a_positive ON t IS 'positive';
            COMMENT ON INDEX t_a IS 'by a';
            COMMENT ON VIEW v IS 'a view';
            COMMENT ON MATERIALIZED VIEW mv IS 'kept';
            COMMENT ON TABLE t IS NULL;
            """
        ),
        Case(
            kind: "DROP of tables and RENAME of tables, columns, constraints and indexes",
            setup: """
            CREATE TABLE a (id int CONSTRAINT a_id_positive CHECK (id > 0), note text);
            CREATE INDEX a_note ON a (note);
            CREATE TABLE b (id int);
            CREATE SCHEMA app;
            """,
            sql: """
            ALTER TABLE a RENAME COLUMN note TO remark;
            ALTER TABLE a RENAME CONSTRAINT a_id_positive TO a_id_check;
            ALTER INDEX a_note RENAME TO a_remark;
            ALTER TABLE a RENAME TO c;
            ALTER TABLE b SET SCHEMA app;
            DROP TABLE c, app.b;
            """,
            partial: true
        ),
        Case(
            kind: "rules and event triggers",
            setup: """
            CREATE TABLE t (a int);
            CREATE FUNCTION on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS 'BEGIN END';
            """,
            sql: """
            CREATE RULE ignore_deletes AS ON DELETE TO t DO INSTEAD NOTHING;
            COMMENT ON RULE ignore_deletes ON t IS 'keep rows';
            DROP RULE ignore_deletes ON t;
            CREATE EVENT TRIGGER audit_ddl ON ddl_command_end EXECUTE FUNCTION on_ddl();
            ALTER EVENT TRIGGER audit_ddl DISABLE;
            DROP EVENT TRIGGER audit_ddl;
            """
        ),
    ]

    @Test(arguments: cases) func objectsAreThoseTheCatalogReaderSeesChange(_ testCase: Case) throws {
        let engine = try DisposablePostgres.engine
        let database = try engine.newDatabase(label: "objects")
        defer { database.drop() }
        if !testCase.setup.isEmpty { try database.apply(TestScripts.prepare(testCase.setup)) }
        // A second session reads the snapshots, so that the file's own session keeps its search_path.
        let reader = PostgresDatabase(engine: engine, name: database.name)
        defer { reader.disconnect() }
        let script = try TestScripts.prepare(testCase.sql)
        #expect(script.unsplittable == nil)
        var named = 0
        for statement in script.statements {
            let before = try reader.snapshot()
            try database.execute(statement.text)
            let changed = Self.changes(from: before, to: try reader.snapshot())
            named += statement.objects.count
            var unmatched: [String] = []
            let itself = Set(statement.objects.map { "comment on \($0.kind) \($0.name)" })
            for object in statement.objects {
                let key = "\(object.kind) \(object.name)"
                // `created` covers CREATE OR REPLACE and COMMENT ON of an object that existed; the comment named
                // with a dropped or renamed object goes with it, if the object had one.
                let compatible = changed[key] == object.action || (object.action == .created && changed[key] == .altered)
                    || (object.kind == "comment" && itself.contains(object.name) && changed[key] == nil)
                if !compatible { unmatched.append("\(object) (the catalog: \(changed[key]?.rawValue ?? "unchanged"))") }
            }
            #expect(unmatched.isEmpty, "\(statement.text)\n  named but not so changed: \(unmatched)")
            if !testCase.partial {
                let named = Set(statement.objects.map { "\($0.kind) \($0.name)" })
                let missed = changed.filter { !named.contains($0.key) }.map { "\($0.value.rawValue) \($0.key)" }.sorted()
                #expect(missed.isEmpty, "\(statement.text)\n  changed but not named: \(missed)")
            }
        }
        #expect(named > 0)
    }

    /// Every object the snapshot gained, lost or saw redefined, by `kind name`.
    private static func changes(from before: SchemaSnapshot, to after: SchemaSnapshot) -> [String: StatementObject.Action] {
        func definitions(_ snapshot: SchemaSnapshot) -> [String: String] {
            Dictionary(snapshot.objects.map { ("\($0.kind) \($0.name)", $0.definition) }, uniquingKeysWith: { first, _ in first })
        }
        let old = definitions(before), new = definitions(after)
        var changes: [String: StatementObject.Action] = [:]
        for (key, definition) in new {
            switch old[key] {
            case nil: changes[key] = .created
            case definition: break
            default: changes[key] = .altered
            }
        }
        for key in old.keys where new[key] == nil { changes[key] = .dropped }
        return changes
    }

    @Test func namesNeedNoServer() throws {
        let statements = try PostgresScriptParser().statements(
            in: Array("CREATE TABLE orders (id int PRIMARY KEY, status text);\nCOMMENT ON COLUMN orders.status IS 'x';\n".utf8),
            file: "V1__x.sql"
        )
        #expect(statements[0].objects == [
            StatementObject(kind: "table", name: "public.orders", action: .created),
            StatementObject(kind: "column", name: "public.orders.id", action: .created),
            StatementObject(kind: "constraint", name: "public.orders.orders_pkey", action: .created),
            StatementObject(kind: "column", name: "public.orders.status", action: .created),
        ])
        #expect(statements[1].objects.map(\.description) == ["created comment comment on column public.orders.status"])
    }

    @Test func generatedNamesTooLongToKeepAreLeftOut() throws {
        let table = String(repeating: "t", count: 60)
        let statements = try PostgresScriptParser().statements(in: Array("CREATE TABLE \(table) (id serial PRIMARY KEY);".utf8), file: "x.sql")
        #expect(statements[0].objects.map(\.kind) == ["table", "column"])
    }
}
