import Testing
@testable import RehearsePostgres
import RehearseCore

/// Digests inside the fast path's transaction read again only the tables that may have changed, and always equal
/// the digest read in full at the same moment: after inserts, updates and deletes, inside a branch and after it is
/// rolled back, after a rename, an enum's relabelling and an in-place truncate, across a commit, and after
/// something ran between steps.
@Suite(.catalogServer)
struct PostgresDigestCacheTests {
    private static let schema = """
        CREATE TYPE public.mood AS ENUM ('calm', 'busy');
        CREATE TABLE public.a (id integer PRIMARY KEY, v text);
        CREATE TABLE public.b (x integer, y text);
        CREATE TABLE public.c (id integer PRIMARY KEY, m public.mood);
        CREATE TABLE public.p (id integer, k integer) PARTITION BY RANGE (k);
        CREATE TABLE public.p1 PARTITION OF public.p FOR VALUES FROM (0) TO (100);
        INSERT INTO public.a SELECT g, 'a' || g FROM generate_series(1, 20) g;
        INSERT INTO public.b SELECT g, 'b' || g FROM generate_series(1, 20) g;
        INSERT INTO public.c VALUES (1, 'calm'), (2, 'busy');
        INSERT INTO public.p VALUES (1, 5);
        """

    /// A scratch database of the catalog test server with `schema` applied.
    private func withDatabase(_ label: String, schema: String, _ body: (PostgresDatabase) throws -> Void) throws {
        try CatalogTestServer.withDatabase(label) { scratch in
            let database = try #require(scratch as? PostgresDatabase)
            try database.apply(CatalogTestServer.script(schema))
            try body(database)
        }
    }

    /// The digest read in full, on the same session and at the same moment as the cached one.
    private func fullDigest(_ database: PostgresDatabase) throws -> DataFingerprint {
        try PostgresDataReader(connection: database.session()).dataDigest()
    }

    /// The cached digest, checked against the full one.
    @discardableResult
    private func checkedDigest(_ database: PostgresDatabase, _ comment: Comment) throws -> DataFingerprint {
        let cached = try database.dataDigest()
        #expect(cached == (try fullDigest(database)), comment)
        return cached
    }

    /// Runs `sql` in the open step, checks the digest after it, and expects it to have read `tables` tables again.
    private func digest(after sql: String, _ database: PostgresDatabase, reads tables: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try database.execute(sql)
        try checkedDigest(database, Comment(rawValue: "after " + sql))
        #expect(database.tablesReadByLastDigest == tables, sourceLocation: sourceLocation)
    }

    @Test func digestsInAStepEqualFullDigestsAndReuseWhatDidNotChange() throws {
        try withDatabase("digest_cache", schema: Self.schema) { database in
            try database.beginStep()
            try checkedDigest(database, "first digest of the step")
            #expect(database.tablesReadByLastDigest == 4)
            try checkedDigest(database, "nothing changed")
            // c has a column of a user type and p is partitioned: both are always read again.
            #expect(database.tablesReadByLastDigest == 2)
            try digest(after: "INSERT INTO public.a VALUES (21, 'a21')", database, reads: 3)
            try database.execute("UPDATE public.b SET y = 'changed' WHERE x = 3")
            try checkedDigest(database, "after an update")

            try database.openBranch()
            try database.execute("DELETE FROM public.a WHERE id <= 5")
            let inBranch = try checkedDigest(database, "inside a branch")
            try database.closeBranch()
            let afterBranch = try checkedDigest(database, "after the branch was rolled back")
            #expect(inBranch != afterBranch)

            try database.execute("ALTER TABLE public.b RENAME COLUMN y TO z")
            try checkedDigest(database, "after a column rename")
            try database.execute("ALTER TYPE public.mood RENAME VALUE 'busy' TO 'hectic'")
            try checkedDigest(database, "after an enum value was renamed")

            // Created in this transaction, so TRUNCATE empties it in place and resets its counts.
            try database.execute("CREATE TABLE public.fresh (n integer); INSERT INTO public.fresh VALUES (1), (2)")
            try checkedDigest(database, "a table created in the step")
            try database.execute("TRUNCATE public.fresh; INSERT INTO public.fresh VALUES (3), (4)")
            try checkedDigest(database, "after an in-place truncate and as many rows again")
            try database.commitStep()

            try database.beginStep()
            try checkedDigest(database, "first digest after a commit")
            #expect(database.tablesReadByLastDigest < 5)
            try database.commitStep()

            try database.execute("DELETE FROM public.a WHERE id = 21")
            try database.beginStep()
            try checkedDigest(database, "after a statement ran between steps")
            try database.commitStep()
        }
    }

    /// The columns of a table the change log does not name are not read again, so the changes that alter a table's
    /// columns without naming it must still be seen: a parent's new column reaches its child, and a script's
    /// RESET ALL empties the log.
    @Test func columnsThatChangeWithoutTheirTableBeingNamedAreSeen() throws {
        try withDatabase("digest_columns", schema: """
                CREATE TABLE public.parent (id integer);
                CREATE TABLE public.child (extra text) INHERITS (public.parent);
                CREATE TABLE public.plain (id integer PRIMARY KEY, v text);
                INSERT INTO public.child VALUES (1, 'x'), (2, 'y');
                INSERT INTO public.plain SELECT g, 'v' || g FROM generate_series(1, 10) g;
                """) { database in
            try database.beginStep()
            #expect(database.step?.changeLog != nil)
            try checkedDigest(database, "first digest of the step")
            try checkedDigest(database, "nothing changed")
            #expect(database.tablesReadByLastDigest == 0)
            try database.execute("ALTER TABLE public.parent ADD COLUMN z integer DEFAULT 5")
            try checkedDigest(database, "after the parent gained a column its child inherits")
            try database.execute("RESET ALL; ALTER TABLE public.plain RENAME COLUMN v TO w")
            try checkedDigest(database, "after a column rename with the log emptied")
            try database.commitStep()
            try database.beginStep()
            try checkedDigest(database, "first digest after the commit")
            try database.execute("ALTER TABLE public.plain ALTER COLUMN w TYPE varchar(20)")
            try checkedDigest(database, "after a type change that rewrites nothing")
            try database.commitStep()
        }
    }

    /// After the first digest of a step, a digest reads the state of the tables the transaction locked only; a
    /// table whose lock went with a rolled-back branch is as before it, and a schema's rename reads everything.
    @Test func laterDigestsReadTheStatesOfLockedTablesOnly() throws {
        try withDatabase("digest_locked", schema: """
                CREATE SCHEMA side;
                CREATE TABLE side.s (id integer PRIMARY KEY);
                INSERT INTO side.s VALUES (1);
                """ + (1...4).map { "CREATE TABLE public.q\($0) (id integer PRIMARY KEY, v text);\nINSERT INTO public.q\($0) SELECT g, 'v' || g FROM generate_series(1, 5) g;\n" }.joined()) { database in
            try database.beginStep()
            try checkedDigest(database, "first digest of the step")
            #expect(database.statesReadByLastDigest == 5)
            try checkedDigest(database, "nothing changed")
            #expect(database.statesReadByLastDigest == 0)
            try database.execute("INSERT INTO public.q1 VALUES (6, 'v6')")
            try checkedDigest(database, "after an insert")
            #expect(database.statesReadByLastDigest == 1)
            try database.openBranch()
            try database.execute("UPDATE public.q2 SET v = 'changed'")
            try checkedDigest(database, "inside a branch")
            #expect(database.statesReadByLastDigest == 2)
            try database.closeBranch()
            try checkedDigest(database, "after the branch was rolled back")
            #expect(database.statesReadByLastDigest == 1)
            try database.execute("ALTER SCHEMA side RENAME TO other")
            let renamed = try checkedDigest(database, "after a schema rename, which locks none of its tables")
            #expect(database.statesReadByLastDigest == 5)
            #expect(renamed.tables["other.s"] != nil && renamed.tables["side.s"] == nil)
            try database.commitStep()

            // Across a commit nothing is read at BEGIN: a table the next step does not lock is as the commit left
            // it, and one it locks has unknown counts, so it is digested again.
            try database.beginStep()
            #expect(database.statesReadAtBegin == 0)
            try checkedDigest(database, "first digest after a commit")
            #expect(database.statesReadByLastDigest == 0)
            #expect(database.tablesReadByLastDigest == 0)
            try digest(after: "SELECT count(*) FROM public.q3", database, reads: 1)
            try digest(after: "DELETE FROM public.q3 WHERE id = 1", database, reads: 1)
            try checkedDigest(database, "nothing changed since")
            #expect(database.tablesReadByLastDigest == 0)
            try database.commitStep()
        }
    }

    @Test func theChosenQueriesKeepOnlyTheChosenTables() {
        #expect(PostgresDataReader.lockedDigestStateSQL != PostgresDataReader.digestStateSQL)
        #expect(PostgresDataReader.lockedDigestStateSQL.contains(PostgresDataReader.digestUnknownSetting))
        #expect(PostgresDataReader.chosenTablesSQL != PostgresDataReader.tablesSQL)
        #expect(PostgresDataReader.chosenTablesSQL.contains(PostgresDataReader.digestTablesSetting))
        #expect(PostgresDataReader.chosenDigestSQL.contains(PostgresDataReader.digestTablesSetting))
    }
}
