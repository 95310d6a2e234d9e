import Foundation
import Testing
import RehearseCore
@testable import RehearsePostgres

/// The fast path's transaction: branches leave no trace (sequences included), a file's own BEGIN … COMMIT becomes a
/// savepoint, and what one transaction would run differently keeps the subject on copies.
@Suite(.disposablePostgres) struct PostgresStepTransactionTests {
    private func withDatabase(_ label: String, _ body: (PostgresDatabase) throws -> Void) throws {
        let database = try DisposablePostgres.engine.newDatabase(label: label)
        defer { database.drop() }
        try body(database)
    }

    private let table = """
        CREATE TABLE items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
        INSERT INTO items (name) VALUES ('a'), ('b');
        """

    @Test func aBranchLeavesSchemaDataAndSequencesAsTheyWere() throws {
        try withDatabase("branch") { database in
            try database.apply(TestScripts.prepare(table))
            try database.execute("CREATE SEQUENCE counter START 10; ALTER SEQUENCE counter RESTART WITH 40")
            try database.beginStep()
            let before = try database.snapshot()
            let data = try database.fingerprint()
            try database.openBranch()
            try database.apply(TestScripts.prepare("INSERT INTO items (name) VALUES ('c'); SELECT nextval('counter'); CREATE TABLE extra (x int);"))
            #expect(try database.scalar("SELECT count(*) FROM items") == "3")
            try database.closeBranch()
            #expect(try database.snapshot() == before)
            #expect(try database.fingerprint() == data)
            try database.commitStep()
            // The identity and the never-called sequence continue as if the branch had never run.
            try database.execute("INSERT INTO items (name) VALUES ('d')")
            #expect(try database.scalar("SELECT max(id) FROM items") == "3")
            #expect(try database.scalar("SELECT nextval('counter')") == "40")
            #expect(try database.session().transactionStatus == .idle)
        }
    }

    /// The premise of reading sequences through their locks inside a step: a sequence that a rolled-back savepoint
    /// advanced is still locked afterwards, and one nothing used is not.
    @Test func aSequenceAdvancedInARolledBackSavepointStaysLocked() throws {
        try withDatabase("sequence_locks") { database in
            try database.execute("CREATE SEQUENCE kept; CREATE SEQUENCE untouched")
            let connection = try database.session()
            try connection.execute("BEGIN")
            try connection.execute("SAVEPOINT s; SELECT nextval('kept'); ROLLBACK TO SAVEPOINT s")
            let locked = try PostgresSequenceState.lockedOids(after: "SELECT 1", on: connection)
            let oids = try connection.execute("SELECT 'kept'::regclass::oid::text, 'untouched'::regclass::oid::text").rows.first ?? []
            #expect(oids.count == 2 && locked.contains(oids[0] ?? "") && !locked.contains(oids[1] ?? ""))
            try connection.execute("ROLLBACK")
        }
    }

    @Test func abortingRollsBackTheStepAndItsSequences() throws {
        try withDatabase("abort") { database in
            try database.apply(TestScripts.prepare(table))
            try database.beginStep()
            try database.apply(TestScripts.prepare("INSERT INTO items (name) VALUES ('c'), ('e'); CREATE TABLE extra (x int);"))
            database.abortStep()
            #expect(try database.scalar("SELECT to_regclass('extra') IS NULL") == "t")
            try database.execute("INSERT INTO items (name) VALUES ('d')")
            #expect(try database.scalar("SELECT max(id) FROM items") == "3")
        }
    }

    @Test func aFilesOwnTransactionBecomesASavepoint() throws {
        try withDatabase("own") { database in
            try database.beginStep()
            try database.apply(TestScripts.prepare("BEGIN;\nCREATE TABLE kept (id int);\nCOMMIT;\nBEGIN;\nCREATE TABLE dropped (id int);\nROLLBACK;\nCOMMIT;\n"))
            #expect(try database.session().transactionStatus == .inTransaction)
            try database.commitStep()
            #expect(try database.scalar("SELECT to_regclass('kept') IS NOT NULL") == "t")
            #expect(try database.scalar("SELECT to_regclass('dropped') IS NULL") == "t")
        }
    }

    @Test func aFailureInsideTheStepIsAFailureAndTheStepDoesNotCommit() throws {
        try withDatabase("failure") { database in
            try database.beginStep()
            try database.apply(TestScripts.prepare("CREATE TABLE t (id int);"))
            let failure = try #require(database.failure { try $0.apply(TestScripts.prepare("CREATE TABLE t (id int);")) })
            #expect(failure.code == "SQLSTATE 42P07")
            #expect(throws: TransactionObstacle.self) { try database.commitStep() }
            database.abortStep()
            #expect(try database.scalar("SELECT to_regclass('t') IS NULL") == "t")
        }
    }

    @Test func validatorsAndVerifyScriptsRunInsideASavepoint() throws {
        try withDatabase("validators") { database in
            try database.apply(TestScripts.prepare(table))
            try database.beginStep()
            try database.validate(TestScripts.prepare("SELECT count(*) = 2 FROM items;", role: .validator))
            try database.validate(TestScripts.prepare("BEGIN;\nDELETE FROM items;\nSELECT id FROM items WHERE false;\nCOMMIT;\n", role: .verify))
            let failure = try #require(database.failure { try $0.validate(TestScripts.prepare("SELECT count(*) = 5 FROM items;", role: .validator)) })
            #expect(failure.message.contains("false"))
            #expect(try database.session().transactionStatus == .inTransaction)
            try database.commitStep()
            #expect(try database.scalar("SELECT count(*) FROM items") == "2")
        }
    }

    @Test func aSessionSettingDoesNotCarryIntoTheNextFile() throws {
        try withDatabase("session") { database in
            try database.execute("CREATE SCHEMA other")
            try database.beginStep()
            try database.apply(TestScripts.prepare("SET search_path TO other; CREATE TEMP TABLE scratch (x int);"))
            try database.apply(TestScripts.prepare("CREATE TABLE placed (id int);"))
            try database.commitStep()
            #expect(try database.scalar("SELECT to_regclass('public.placed') IS NOT NULL") == "t")
            #expect(try database.scalar("SELECT to_regclass('other.placed') IS NULL") == "t")
        }
    }

    @Test func obstaclesKeepSubjectsOnCopies() throws {
        let cases: [(String, ExecutionMode, String?)] = [
            // Run as their plain forms where copies run them outside a transaction block (ConcurrentIndexStatement).
            ("CREATE INDEX CONCURRENTLY i ON t (x);", .autocommit, nil),
            ("CREATE TABLE u (x int); CREATE INDEX CONCURRENTLY i ON u (x);", .autocommit, nil),
            ("DROP INDEX CONCURRENTLY IF EXISTS i;", .transactionUnlessNonTransactional, nil),
            // Elsewhere they stay on copies, where they fail or run as PostgreSQL decides.
            ("CREATE TABLE u (x int); CREATE INDEX CONCURRENTLY i ON u (x);", .transactionUnlessNonTransactional, "CREATE INDEX CONCURRENTLY"),
            ("CREATE INDEX CONCURRENTLY i ON t (x);", .transaction, "CREATE INDEX CONCURRENTLY"),
            ("CREATE INDEX CONCURRENTLY i ON t (x);", .singleQuery, "CREATE INDEX CONCURRENTLY"),
            ("BEGIN; CREATE TABLE u (x int); COMMIT; CREATE INDEX CONCURRENTLY i ON u (x);", .autocommit, "CREATE INDEX CONCURRENTLY"),
            ("DROP INDEX CONCURRENTLY i CASCADE;", .autocommit, "DROP INDEX CONCURRENTLY"),
            ("DROP INDEX CONCURRENTLY i, j;", .autocommit, "DROP INDEX CONCURRENTLY"),
            ("REINDEX INDEX CONCURRENTLY i;", .autocommit, "REINDEX CONCURRENTLY"),
            ("VACUUM t;", .autocommit, "VACUUM"),
            ("LOCK TABLE t;", .autocommit, "LOCK outside a transaction block"),
            ("LOCK TABLE t;", .transaction, nil),
            ("SAVEPOINT a;", .autocommit, "transaction control (SAVEPOINT) in autocommit"),
            ("BEGIN; CREATE TABLE t (x int); COMMIT;", .autocommit, nil),
            ("BEGIN; CREATE TABLE t (x int); COMMIT;", .transaction, "transaction control (BEGIN) in transaction"),
            ("COMMIT AND CHAIN;", .autocommit, "transaction control (COMMIT) in autocommit"),
            ("ALTER TABLE t ADD CONSTRAINT u UNIQUE (x) DEFERRABLE INITIALLY DEFERRED;", .transaction, "a deferrable constraint"),
            ("CREATE TABLE t (x int);", .singleQuery, nil),
        ]
        let database = try DisposablePostgres.engine.newDatabase(label: "obstacles")
        defer { database.drop() }
        for (sql, mode, expected) in cases {
            let script = try TestScripts.prepare(sql, execution: mode)
            #expect(database.transactionObstacle(in: [script]) == expected, "\(sql) in \(mode)")
        }
        let unsplittable = try TestScripts.prepare("CREATE TABLE t (x int;")
        #expect(database.transactionObstacle(in: [unsplittable]) == "a file the parser could not split")
    }

    @Test func concurrentIndexStatementsRunAsTheirPlainFormsInAStep() throws {
        try withDatabase("concurrent") { database in
            try database.apply(TestScripts.prepare(table))
            try database.execute("CREATE TABLE parts (id int, k int) PARTITION BY RANGE (k)")
            try database.beginStep()
            try database.apply(TestScripts.prepare(
                "SET search_path = public;\nCREATE UNIQUE INDEX /* built */ CONCURRENTLY IF NOT EXISTS items_name ON items (name);"
            ))
            #expect(try database.scalar("SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'items_name'::regclass") == "true")
            try database.apply(TestScripts.prepare("DROP INDEX CONCURRENTLY items_name;"))
            #expect(try database.scalar("SELECT to_regclass('items_name') IS NULL") == "t")
            // A partitioned table refuses the concurrent build: the plain one is not tried.
            #expect(throws: TransactionObstacle.self) {
                try database.apply(TestScripts.prepare("CREATE INDEX CONCURRENTLY parts_k ON parts (k);"))
            }
            database.abortStep()
            #expect(try database.scalar("SELECT count(*) FROM pg_indexes WHERE indexname IN ('items_name', 'parts_k')") == "0")
        }
    }

    @Test func thePlainFormDropsOnlyTheKeyword() throws {
        let statement = try #require(try TestScripts.prepare("CREATE INDEX \"concurrently\" ON t (x); CREATE INDEX -- concurrently\n CONCURRENTLY i ON t ((x || 'CONCURRENTLY'));").statements.last)
        let plain = try #require(ConcurrentIndexStatement(statement))
        #expect(plain.plainText.contains("'CONCURRENTLY'"))
        #expect(plain.plainText.contains("-- concurrently"))
        #expect(plain.plainText.range(of: "\n CONCURRENTLY") == nil)
        #expect(plain.relation == "\"t\"")
        #expect(ConcurrentIndexStatement(try #require(try TestScripts.prepare("CREATE INDEX i ON t (x);").statements.first)) == nil)
    }

    @Test func aDeferrableConstraintInTheDatabaseKeepsTheStepOnCopies() throws {
        try withDatabase("deferrable") { database in
            try database.execute("CREATE TABLE t (x int UNIQUE DEFERRABLE)")
            #expect(throws: TransactionObstacle.self) { try database.beginStep() }
            #expect(try database.session().transactionStatus == .idle)
        }
    }

    @Test func aDatabaseInAStepCannotBeCopied() throws {
        try withDatabase("copy") { database in
            try database.beginStep()
            #expect(throws: TransactionObstacle.self) { _ = try database.copy(label: "never") }
            database.abortStep()
        }
    }
}
