import Foundation
import Testing
import RehearseCore
@testable import RehearsePostgres

/// Each execution mode commits and rolls back as its layout's tool would.
@Suite(.disposablePostgres) struct PostgresExecutionTests {
    private func withDatabase(_ label: String, _ body: (PostgresDatabase) throws -> Void) throws {
        let database = try DisposablePostgres.engine.newDatabase(label: label)
        defer { database.drop() }
        try body(database)
    }

    private func exists(_ relation: String, in database: PostgresDatabase) throws -> Bool {
        try database.scalar("SELECT to_regclass('\(relation)') IS NOT NULL") == "t"
    }

    /// The second statement fails on line 3, column 27 (the `'x'`).
    private let failingSecond = "CREATE TABLE first (id int);\n\nINSERT INTO first VALUES ('x');\n"

    @Test func autocommitKeepsWhatRanBeforeTheFailure() throws {
        try withDatabase("autocommit") { database in
            let failure = try #require(database.failure { try $0.apply(TestScripts.prepare(failingSecond, execution: .autocommit)) })
            #expect(failure.code == "SQLSTATE 22P02")
            #expect(failure.line == 3 && failure.column == 27 && failure.statementIndex == 2)
            #expect(try exists("first", in: database))
        }
    }

    @Test func aTransactionLeavesNothingWhenAStatementFails() throws {
        try withDatabase("transaction") { database in
            let failure = try #require(database.failure { try $0.apply(TestScripts.prepare(failingSecond, execution: .transaction)) })
            #expect(failure.code == "SQLSTATE 22P02")
            #expect(failure.line == 3 && failure.column == 27 && failure.statementIndex == 2)
            #expect(failure.file == "projects/demo/V1.0.0.001__test.sql")
            #expect(try !exists("first", in: database))
            #expect(try database.session().transactionStatus == .idle)

            try database.apply(TestScripts.prepare("CREATE TABLE kept (id int);\nINSERT INTO kept VALUES (1);\n", execution: .transaction))
            #expect(try database.scalar("SELECT count(*) FROM kept") == "1")
        }
    }

    @Test func aTransactionRefusesConcurrentIndexesAsPostgreSQLDoes() throws {
        try withDatabase("concurrently") { database in
            let sql = "CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n"
            let failure = try #require(database.failure { try $0.apply(TestScripts.prepare(sql, execution: .transaction)) })
            #expect(failure.code == "SQLSTATE 25001")
            #expect(failure.message == "CREATE INDEX CONCURRENTLY cannot run inside a transaction block")
            #expect(failure.line == 2 && failure.statementIndex == 2)
            #expect(try !exists("t", in: database))
        }
    }

    @Test func aFileWithItsOwnTransactionControlIsLeftToTheServer() throws {
        try withDatabase("own-control") { database in
            // BEGIN inside the transaction only warns; the file's COMMIT ends it and the rest runs in autocommit.
            let sql = "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\nCREATE TABLE b (id int);\n"
            try database.apply(TestScripts.prepare(sql, execution: .transaction))
            #expect(try exists("a", in: database) && exists("b", in: database))
            #expect(try database.session().transactionStatus == .idle)
        }
    }

    @Test func aFailedCommitIsTheFilesFailure() throws {
        try withDatabase("commit") { database in
            let sql = """
            CREATE TABLE parent (id int PRIMARY KEY);
            CREATE TABLE child (parent_id int REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
            INSERT INTO child VALUES (7);
            """
            let failure = try #require(database.failure { try $0.apply(TestScripts.prepare(sql, execution: .transaction)) })
            #expect(failure.code == "SQLSTATE 23503")
            #expect(failure.message.hasPrefix("the transaction could not commit: "))
            #expect(try !exists("parent", in: database))
        }
    }

    @Test func flywayRunsAFileOfOnlyNonTransactionalStatementsOutsideATransaction() throws {
        try withDatabase("flyway-outside") { database in
            try database.apply(TestScripts.prepare("CREATE TABLE t (a int, b int);\n", execution: .transaction))
            let sql = "CREATE INDEX CONCURRENTLY t_a ON t (a);\nCREATE INDEX CONCURRENTLY t_b ON t (b);\nVACUUM t;\n"
            try database.apply(TestScripts.prepare(sql, execution: .transactionUnlessNonTransactional))
            #expect(try exists("t_a", in: database) && exists("t_b", in: database))
        }
    }

    @Test func flywayRunsAnOrdinaryFileInOneTransaction() throws {
        try withDatabase("flyway-inside") { (database: PostgresDatabase) throws in
            let failure = database.failure { try $0.apply(TestScripts.prepare(failingSecond, execution: .transactionUnlessNonTransactional)) }
            #expect(failure?.code == "SQLSTATE 22P02")
            #expect(try !exists("first", in: database))
        }
    }

    @Test func flywayRefusesAFileMixingBothKinds() throws {
        try withDatabase("flyway-mixed") { database in
            let sql = "CREATE TABLE t (a int);\n-- then\n  CREATE INDEX CONCURRENTLY t_a ON t (a);\n"
            let failure = try #require(database.failure { try $0.apply(TestScripts.prepare(sql, execution: .transactionUnlessNonTransactional)) })
            #expect(failure.line == 3 && failure.column == 3 && failure.statementIndex == 2)
            #expect(failure.code == nil)
            #expect(failure.message.contains("(CREATE INDEX CONCURRENTLY)"))
            #expect(failure.message.contains("mixed=true"))
            #expect(failure.message.contains("executeInTransaction=false"))
            // Refused before anything ran.
            #expect(try !exists("t", in: database))
        }
    }

    @Test func aSingleQueryLeavesNothingAndPointsAtTheFailingLine() throws {
        try withDatabase("single-query") { database in
            let sql = "-- golang-migrate\nCREATE TABLE first (id int);\n\nINSERT INTO first VALUES (1);\nINSERT INTO first\n  VALUES ('é', nope);\n"
            let failure = try #require(database.failure { try $0.apply(TestScripts.prepare(sql, execution: .singleQuery)) })
            #expect(failure.code == "SQLSTATE 42703")
            #expect(failure.message == "column \"nope\" does not exist")
            #expect(failure.line == 6 && failure.column == 16)
            #expect(failure.statementIndex == 3)
            #expect(try !exists("first", in: database))
        }
    }

    @Test func aSingleQueryErrorWithoutAPositionNamesTheStatementByCount() throws {
        try withDatabase("single-query-count") { database in
            let sql = "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n  SELECT 1 / 0;\nSELECT 2;\n"
            let failure = try #require(database.failure { try $0.apply(TestScripts.prepare(sql, execution: .singleQuery)) })
            #expect(failure.code == "SQLSTATE 22012")
            #expect(failure.line == 3 && failure.column == 3 && failure.statementIndex == 3)
            #expect(try !exists("t", in: database))

            try database.apply(TestScripts.prepare(sql.replacingOccurrences(of: "1 / 0", with: "1 / 1"), execution: .singleQuery))
            #expect(try database.scalar("SELECT count(*) FROM t") == "1")
        }
    }

    @Test func aSingleQueryKeepsStatementsEndingInAComment() throws {
        try withDatabase("single-query-comment") { database in
            let sql = "CREATE TABLE t (id int) -- the table\n;\nINSERT INTO t VALUES (1) /* one row */;\nINSERT INTO t VALUES (2) -- no semicolon"
            try database.apply(TestScripts.prepare(sql, execution: .singleQuery))
            #expect(try database.scalar("SELECT count(*) FROM t") == "2")
        }
    }

    @Test func aSingleQueryRefusesConcurrentIndexesWithOtherStatements() throws {
        try withDatabase("single-query-concurrently") { database in
            try database.apply(TestScripts.prepare("CREATE TABLE t (a int);", execution: .singleQuery))
            // Alone, it is not in a transaction block; with another statement, it is (an implicit one).
            try database.apply(TestScripts.prepare("CREATE INDEX CONCURRENTLY t_a ON t (a);", execution: .singleQuery))
            let mixed = "CREATE INDEX CONCURRENTLY t_b ON t (a);\nSELECT 1;\n"
            let failure = database.failure { try $0.apply(TestScripts.prepare(mixed, execution: .singleQuery)) }
            #expect(failure?.code == "SQLSTATE 25001")
            #expect(try exists("t_a", in: database) && !exists("t_b", in: database))
        }
    }

    @Test func aSingleQueryMustNotEndInsideATransaction() throws {
        try withDatabase("single-query-open") { database in
            let sql = "CREATE TABLE before_begin (id int);\nBEGIN;\nCREATE TABLE inside (id int);\n"
            let failure = try #require(database.failure { try $0.apply(TestScripts.prepare(sql, execution: .singleQuery)) })
            #expect(failure.message.contains("ends inside an open transaction started at line 2 (BEGIN)"))
            // BEGIN turns the query string's implicit transaction into an open one: the statement before it is lost too.
            #expect(try !exists("before_begin", in: database))
            #expect(try !exists("inside", in: database))
        }
    }

    @Test func aFileTheParserCannotSplitFailsOnTheServerWithItsPosition() throws {
        try withDatabase("unsplittable") { database in
            // PostgreSQL 16 syntax: a subquery in FROM without an alias.
            let sql = "-- newer syntax\nCREATE TABLE a (id int);\nSELECT *\n  FROM (SELECT 1);\n"
            for mode in ExecutionMode.allCases {
                let script = try TestScripts.prepare(sql, execution: mode)
                #expect(script.unsplittable == "subquery in FROM must have an alias at line 4, column 8")
                #expect(script.statements.count == 1 && script.statements[0].line == 2)
                let failure = try #require(database.failure { try $0.apply(script) }, "\(mode)")
                #expect(failure.code == "SQLSTATE 42601", "\(mode)")
                #expect(failure.line == 4 && failure.column == 8, "\(mode)")
                // The server parses the whole string before it runs any of it: nothing ran, no statement to count.
                #expect(failure.statementIndex == nil, "\(mode)")
                #expect(failure.message == "subquery in FROM must have an alias", "\(mode)")
                // One query string is one implicit transaction, in every mode.
                #expect(try !exists("a", in: database), "\(mode)")
            }
            // The rest of the run goes on.
            try database.apply(TestScripts.prepare("CREATE TABLE b (id int);\n"))
            #expect(try exists("b", in: database))
        }
    }

    @Test func aFileTheParserCannotSplitRunsWhenTheServerAcceptsIt() throws {
        try withDatabase("unsplittable-accepted") { database in
            // The parser and this server share one grammar, so no file splits on one and fails on the other: the
            // script is built as the parser builds an unsplittable one, to show that the server's word is enough.
            let script = PreparedScript(
                file: try TestScripts.prepare("SELECT 1;", execution: .transaction).file,
                statements: [ScriptStatement(text: "CREATE TABLE a (id int);\nCREATE TABLE b (id int)", line: 1, column: 1)],
                unsplittable: "syntax error at or near \"x\" at line 1, column 1"
            )
            try database.apply(script)
            #expect(try exists("a", in: database) && exists("b", in: database))
        }
    }

    @Test func emptyFilesRunNothing() throws {
        try withDatabase("empty") { database in
            for mode in ExecutionMode.allCases {
                try database.apply(TestScripts.prepare("-- nothing yet\n", execution: mode))
            }
            #expect(try database.session().transactionStatus == .idle)
        }
    }

    // MARK: - Sqitch verify

    @Test func aVerifyScriptWithItsOwnTransactionPassesAndChangesNothing() throws {
        try withDatabase("verify") { database in
            try database.apply(TestScripts.prepare("CREATE TABLE users (id int, email text);\n"))
            let verify = """
            BEGIN;
            SELECT id, email FROM users WHERE false;
            CREATE TABLE scratch (id int);
            ROLLBACK;
            START TRANSACTION;
            CREATE TABLE kept_by_commit (id int);
            COMMIT;
            COMMIT;
            ROLLBACK;
            SELECT 1 FROM users;
            CREATE TABLE outside (id int);
            """
            try database.validate(TestScripts.prepare(verify, name: "verify_users.sql", role: .verify))
            #expect(try !exists("scratch", in: database))
            #expect(try !exists("kept_by_commit", in: database))
            #expect(try !exists("outside", in: database))
            #expect(try database.session().transactionStatus == .idle)
        }
    }

    @Test func aVerifyScriptFailsWhenItRaisesAnError() throws {
        try withDatabase("verify-fails") { database in
            try database.apply(TestScripts.prepare("CREATE TABLE users (id int);\n"))
            let raising = """
            BEGIN;
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'email') THEN
                    RAISE EXCEPTION 'users.email is missing';
                END IF;
            END $$;
            ROLLBACK;
            """
            let failure = try #require(database.failure { try $0.validate(TestScripts.prepare(raising, name: "verify_users.sql", role: .verify)) })
            #expect(failure.code == "SQLSTATE P0001")
            #expect(failure.message == "users.email is missing")
            #expect(failure.file == "projects/demo/verify_users.sql")
            #expect(failure.line == 2 && failure.statementIndex == 2)

            let missing = try #require(database.failure {
                try $0.validate(TestScripts.prepare("SELECT email FROM users WHERE false;\n", name: "verify_users.sql", role: .verify))
            })
            #expect(missing.code == "SQLSTATE 42703")
            #expect(try database.session().transactionStatus == .idle)
        }
    }

    @Test func aVerifyScriptPassesWhateverRowsItReturns() throws {
        try withDatabase("verify-rows") { database in
            // A validator would fail on these; Sqitch's rule is only "no error".
            try database.validate(TestScripts.prepare("SELECT false;\nSELECT 1, 2 FROM generate_series(1, 3);\n", role: .verify))
            let failure = database.failure { try $0.validate(TestScripts.prepare("SELECT false;\n", role: .validator)) }
            #expect(failure?.message == "expected one row with one column true, got false")
        }
    }

    @Test func aVerifyScriptCannotUseSavepointsOutsideItsTransactionNorPrepareIt() throws {
        try withDatabase("verify-control") { database in
            let savepoint = try #require(database.failure { try $0.validate(TestScripts.prepare("SELECT 1;\nSAVEPOINT s;\n", role: .verify)) })
            #expect(savepoint.code == "SQLSTATE 25P01" && savepoint.line == 2)
            try database.validate(TestScripts.prepare("BEGIN;\nSAVEPOINT s;\nSELECT 1;\nROLLBACK TO SAVEPOINT s;\nCOMMIT;\n", role: .verify))
            let prepare = try #require(database.failure { try $0.validate(TestScripts.prepare("BEGIN;\nPREPARE TRANSACTION 'x';\n", role: .verify)) })
            #expect(prepare.message.contains("not allowed in a verify script"))
        }
    }
}
