import Testing
@testable import RehearsePostgres
import RehearseCore

/// Snapshots inside the fast path's transaction read again only the relations that may have changed, and always
/// equal the snapshot read whole at the same moment: after each kind of change that moves another object's text
/// (renames of columns, tables, types, functions and sequences; a dropped default, a detached partition, a lost
/// inheritance), inside a branch and after it, with dynamic DDL, across a commit, and in the cases that must read
/// the whole catalog again.
@Suite(.catalogServer)
struct PostgresSnapshotScopeTests {
    /// Besides the objects whose text others' changes move, a dozen tables nothing touches, so that a scope is
    /// visibly smaller than the whole.
    private static let schema = """
        CREATE TYPE public.mood AS ENUM ('calm', 'busy');
        CREATE TYPE public.pair AS (left_side public.mood, right_side integer);
        CREATE DOMAIN public.positive AS integer CHECK (VALUE > 0);
        CREATE DOMAIN public.feeling_code AS public.mood;
        CREATE TYPE public.span AS RANGE (subtype = integer);
        CREATE FUNCTION public.stamp() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
        CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE SEQUENCE public.counter;
        CREATE TABLE public.a (id integer PRIMARY KEY, v text, n integer DEFAULT public.stamp());
        CREATE TABLE public.b (id integer PRIMARY KEY, a_id integer REFERENCES public.a (id), m public.mood,
                               k integer DEFAULT nextval('public.counter'));
        CREATE INDEX b_a_id ON public.b (a_id);
        CREATE TRIGGER b_touch BEFORE UPDATE ON public.b FOR EACH ROW EXECUTE FUNCTION public.touch();
        CREATE VIEW public.av AS SELECT id, v FROM public.a;
        CREATE TABLE public.p (id integer, k integer) PARTITION BY RANGE (k);
        CREATE TABLE public.p1 PARTITION OF public.p FOR VALUES FROM (0) TO (100);
        CREATE TABLE public.parent (x integer);
        CREATE TABLE public.child (y integer) INHERITS (public.parent);
        """ + (1...12).map { "\nCREATE TABLE public.quiet\($0) (q integer);" }.joined()

    /// Changes that move the text of other objects than their target.
    private static let renamesAndComments = [
        "ALTER TABLE public.a RENAME TO a2",
        "ALTER TYPE public.mood RENAME TO feeling",
        "ALTER FUNCTION public.stamp() RENAME TO stamp2",
        "ALTER FUNCTION public.touch() RENAME TO touch2",
        "ALTER SEQUENCE public.counter RENAME TO counter2",
        "COMMENT ON COLUMN public.b.m IS 'how it feels'",
        "COMMENT ON CONSTRAINT b_a_id_fkey ON public.b IS 'to a'",
        "ALTER INDEX public.b_a_id RENAME TO b_a_ident",
        "ALTER TRIGGER b_touch ON public.b RENAME TO b_touched",
    ]

    /// Dependencies that go away (the default with its sequence, the partition, the inheritance), dynamic DDL, a
    /// dropped table and a new enum value.
    private static let lostDependencies = [
        "DROP SEQUENCE public.counter2 CASCADE",
        "ALTER TABLE public.p DETACH PARTITION public.p1",
        "ALTER TABLE public.p ATTACH PARTITION public.p1 FOR VALUES FROM (0) TO (50)",
        "ALTER TABLE public.child NO INHERIT public.parent",
        "ALTER TABLE public.parent RENAME TO elder",
        "DO $$ BEGIN EXECUTE 'CREATE TABLE public.dynamic (d integer)'; END $$",
        "DROP TABLE public.quiet2",
        "ALTER TYPE public.feeling ADD VALUE 'tired'",
        // Types read only when they may have changed: a domain's constraint, a composite's attribute, comments.
        "ALTER DOMAIN public.positive ADD CONSTRAINT small CHECK (VALUE < 1000)",
        "ALTER DOMAIN public.positive RENAME CONSTRAINT small TO below_thousand",
        "ALTER TYPE public.pair ADD ATTRIBUTE note text",
        "ALTER TYPE public.pair RENAME ATTRIBUTE note TO remark",
        "COMMENT ON TYPE public.span IS 'a range'",
        "COMMENT ON DOMAIN public.feeling_code IS 'a code'",
        "DROP DOMAIN public.positive",
        "CREATE TYPE public.later AS ENUM ('x')",
    ]

    /// The snapshot read whole, on the same session and at the same moment as the scoped one.
    private func wholeSnapshot(_ database: PostgresDatabase) throws -> SchemaSnapshot {
        try PostgresCatalogReader(connection: database.session()).snapshot()
    }

    /// The step's snapshot, checked against the whole one; returns how many relations it read again (nil: all).
    @discardableResult
    private func checked(_ database: PostgresDatabase, _ comment: Comment) throws -> Int? {
        let scoped = try database.snapshot()
        let whole = try wholeSnapshot(database)
        #expect(scoped == whole, "\(comment): \(SnapshotDiff(from: whole, to: scoped).text)")
        return database.relationsReadByLastSnapshot
    }

    /// Runs `sql` in the open step and checks the snapshot after it.
    @discardableResult
    private func after(_ sql: String, _ database: PostgresDatabase) throws -> Int? {
        try database.execute(sql)
        return try checked(database, Comment(rawValue: sql))
    }

    @Test func snapshotsInAStepEqualWholeOnesAndReadOnlyWhatMayHaveChanged() throws {
        try CatalogTestServer.withDatabase("snapshot_scope") { scratch in
            let database = try #require(scratch as? PostgresDatabase)
            try database.apply(CatalogTestServer.script(Self.schema))
            try database.beginStep()
            #expect(database.step?.changeLog != nil, "the test server's user is a superuser")
            #expect(try checked(database, "first snapshot of the step") == nil)
            #expect(try checked(database, "nothing changed") == 0)

            // The table, its new TOAST table and that table's index.
            #expect(try after("ALTER TABLE public.quiet1 ADD COLUMN r text", database) == 3)
            // The view and b's foreign key name a's columns; a's index and constraints are a's own.
            #expect(try after("ALTER TABLE public.a RENAME COLUMN id TO ident", database).map { $0 >= 3 } == true)
            for sql in Self.renamesAndComments { try after(sql, database) }

            try database.openBranch()
            try after("CREATE TABLE public.in_branch (id integer REFERENCES public.b (id))", database)
            try after("DROP VIEW public.av", database)
            try database.closeBranch()
            try checked(database, "after the branch was rolled back")

            for sql in Self.lostDependencies { try after(sql, database) }
            try database.commitStep()

            try database.beginStep()
            #expect(try checked(database, "first snapshot after a commit") == 0)
            try after("ALTER TABLE public.quiet3 ADD COLUMN s text", database)
            try database.commitStep()

            // Something ran between the steps: the next step starts with a whole snapshot.
            try database.execute("ALTER TABLE public.quiet4 ADD COLUMN t text")
            try database.beginStep()
            #expect(try checked(database, "after a statement ran between steps") == nil)
            try database.commitStep()
        }
    }

    @Test func theWholeCatalogIsReadWhenTheScopeCannotBeTrusted() throws {
        try CatalogTestServer.withDatabase("snapshot_whole") { scratch in
            let database = try #require(scratch as? PostgresDatabase)
            try database.apply(CatalogTestServer.script(Self.schema))
            try database.beginStep()
            try checked(database, "first snapshot")
            // A schema's rename moves every object in it.
            #expect(try after("CREATE SCHEMA extra; CREATE TABLE extra.t (x integer)", database) == nil)
            try checked(database, "again")
            #expect(try after("ALTER SCHEMA extra RENAME TO more", database) == nil)
            try checked(database, "again")
            // A script's RESET ALL empties the log: from then on nothing is known.
            #expect(try after("RESET ALL; ALTER TABLE public.quiet5 ADD COLUMN u text", database) == nil)
            #expect(try after("ALTER TABLE public.quiet6 ADD COLUMN u text", database) == nil)
            try database.commitStep()

            // A file that may write into the catalog tables turns the scope off for good.
            try database.beginStep()
            try checked(database, "first snapshot")
            #expect(try checked(database, "nothing changed") == 0)
            try database.apply(CatalogTestServer.script("UPDATE pg_catalog.pg_attribute SET attstattarget = attstattarget WHERE false"))
            #expect(database.catalogWritesSeen)
            #expect(try checked(database, "after a file that writes the catalog") == nil)
            try database.commitStep()
        }
    }

    /// A user's own event trigger would see the change log's DDL (an audit trigger would record it as a row), so a
    /// database with one keeps no log and its snapshots are read whole.
    @Test func aDatabaseWithItsOwnEventTriggerKeepsNoLog() throws {
        try CatalogTestServer.withDatabase("snapshot_user_trigger") { scratch in
            let database = try #require(scratch as? PostgresDatabase)
            try database.apply(CatalogTestServer.script("""
                CREATE TABLE public.ddl_audit (tag text);
                CREATE FUNCTION public.audit() RETURNS event_trigger LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO public.ddl_audit VALUES (tg_tag); END $$;
                CREATE EVENT TRIGGER audit_ddl ON ddl_command_end EXECUTE FUNCTION public.audit();
                """))
            try database.beginStep()
            #expect(database.step?.changeLog == nil)
            try checked(database, "first snapshot")
            #expect(try after("CREATE TABLE public.t (x integer)", database) == nil)
            try database.commitStep()
            #expect(try database.execute("SELECT tag FROM public.ddl_audit").rows == [["CREATE TABLE"]])
        }
    }

    /// A commit carries the step's last snapshot and digest taken with no branch open, without reading, when
    /// everything since ran in validators and branches that were rolled back; the next step starts from them. Any
    /// other change since makes the commit read.
    @Test func aCommitCarriesWhatWasReadBeforeTheBranchesWithoutReading() throws {
        try CatalogTestServer.withDatabase("snapshot_carry") { scratch in
            let database = try #require(scratch as? PostgresDatabase)
            try database.apply(CatalogTestServer.script("CREATE TABLE public.t (id integer PRIMARY KEY, v text); CREATE TABLE public.u (n integer)"))
            try database.beginStep()
            try database.apply(CatalogTestServer.script("ALTER TABLE public.u ADD COLUMN m integer; INSERT INTO public.t VALUES (1, 'a')"))
            let forward = try database.snapshot()
            let forwardData = try database.dataDigest()
            try database.validate(CatalogTestServer.script("SELECT count(*) = 1 FROM public.t", name: "check.sql"))
            try database.openBranch()
            try database.apply(CatalogTestServer.script("ALTER TABLE public.u DROP COLUMN m; DELETE FROM public.t; INSERT INTO public.u VALUES (1)"))
            #expect(try database.snapshot() != forward)
            #expect(try database.dataDigest() != forwardData)
            try database.closeBranch()
            try database.commitStep()
            #expect(database.carriedWithoutRead)
            #expect(database.snapshotCache?.snapshot == forward)
            // t's rows changed in the step, but not since its digest; u, altered by the step, is left out.
            #expect(database.carriedDigests?.entries["public.t"] != nil)
            #expect(database.carriedDigests?.entries["public.u"] == nil)

            try database.beginStep()
            #expect(try database.dataDigest() == forwardData)
            #expect(database.tablesReadByLastDigest == 1)
            try database.execute("ALTER TABLE public.t RENAME COLUMN v TO label")
            #expect(try database.snapshot() == (try wholeSnapshot(database)))
            try database.commitStep()
            #expect(!database.carriedWithoutRead, "a change after the step's last snapshot")
        }
    }

    /// The closure and `safety`'s list of tables are prepared once per session and keep their first plan, made on
    /// a small catalog: each reached object, and each table's dependencies, must be looked up by index, never by a
    /// join that scans, hashes or merges a whole catalog, which grows with the history.
    @Test func theClosureAndTheTableListLookUpByIndex() throws {
        try CatalogTestServer.withDatabase("snapshot_plans") { scratch in
            let database = try #require(scratch as? PostgresDatabase)
            let connection = try database.session()
            let settings = (PostgresCatalogReader.scopedPlanSettings + [(PostgresCatalogScope.earlierSetting, ""), (PostgresCatalogScope.extraSetting, "{}")])
                .map { "pg_catalog.set_config('\($0.name)', '\($0.value)', true)" }.joined(separator: ", ")
            try connection.execute("BEGIN")
            defer { _ = try? connection.execute("ROLLBACK") }
            try connection.execute("SELECT \(settings)")
            func plan(_ sql: String) throws -> String {
                try connection.execute("EXPLAIN " + sql).rows.compactMap { $0.first ?? nil }.joined(separator: "\n")
            }
            // A join's plan depends on the catalog's size when it is made, so the text says it first: every catalog
            // the closure reaches is looked up per object.
            #expect(!PostgresCatalogScope.closureSQL.contains("JOIN pg_catalog."))
            let closure = try plan(PostgresCatalogScope.closureSQL)
            for shape in ["Hash Join", "Merge Join", "Seq Scan on pg_"] {
                #expect(!closure.contains(shape), "the closure's plan has a \(shape):\n\(closure)")
            }
            try connection.execute("RESET enable_seqscan")
            let tables = try plan("SELECT c.oid FROM pg_catalog.pg_class c WHERE c.relkind = 'r' AND \(PostgresDatabase.standaloneByIndex)")
            #expect(!tables.contains("Anti Join") && !tables.contains("Seq Scan on pg_depend"), "the table list's plan:\n\(tables)")
        }
    }

    @Test func catalogWritesAreRecognised() {
        #expect(PostgresCatalogScope.mayWriteCatalog("UPDATE pg_catalog.pg_attribute SET atttypmod = 14 WHERE attname = 'x'"))
        #expect(PostgresCatalogScope.mayWriteCatalog("update pg_index set indisvalid = false"))
        #expect(PostgresCatalogScope.mayWriteCatalog("DO $$ BEGIN DELETE FROM \"pg_catalog\".pg_depend WHERE objid = 1; END $$"))
        #expect(!PostgresCatalogScope.mayWriteCatalog("UPDATE public.users SET pg_flag = true"))
        #expect(!PostgresCatalogScope.mayWriteCatalog("SELECT * FROM pg_catalog.pg_class"))
    }

    @Test func theLogIsReadOnlyWhenItIsThisDatabasesWholeLog() {
        let log = PostgresChangeLog(token: "rehearse-abc")
        #expect(log.entries(of: "rehearse-abc") == [])
        #expect(log.entries(of: "rehearse-abc 1259:16384 2606:16390") == [.init(classid: 1259, objid: 16384), .init(classid: 2606, objid: 16390)])
        #expect(log.entries(of: "") == nil)
        #expect(log.entries(of: " 1259:16384") == nil)
        #expect(log.entries(of: "overflow 1259:16384") == nil)
        #expect(log.entries(of: "rehearse-abcd 1259:16384") == nil)
        #expect(log.entries(of: nil) == nil)
    }
}
