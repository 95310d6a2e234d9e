import Foundation
import Testing
import RehearseCore
@testable import RehearsePostgres

@Suite(.disposablePostgres) struct PostgresDatabaseTests {
    private func withDatabase(_ label: String, _ body: (PostgresDatabase) throws -> Void) throws {
        let database = try DisposablePostgres.engine.newDatabase(label: label)
        defer { database.drop() }
        try body(database)
    }

    private func tableExists(_ name: String, in database: PostgresDatabase) throws -> Bool {
        try database.scalar("SELECT to_regclass('public.\(name)') IS NOT NULL") == "t"
    }

    @Test func serverInfoDescribesTheDisposableServer() throws {
        let info = try DisposablePostgres.engine.serverInfo
        #expect(info.product == "PostgreSQL")
        #expect(info.location == "disposable")
        #expect(info.version.hasPrefix(String(try DisposablePostgres.engine.serverVersionNumber / 10_000)))
    }

    @Test func serverErrorsCarrySQLStateHintAndPosition() throws {
        try withDatabase("errors") { database in
            try database.apply(TestScripts.prepare("CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n"))

            let duplicate = try #require(database.failure { try $0.apply(TestScripts.prepare("-- again\nCREATE TABLE t (id int);\n")) })
            #expect(duplicate.code == "SQLSTATE 42P07")
            #expect(duplicate.message == "relation \"t\" already exists")
            #expect(duplicate.file == "projects/demo/V1.0.0.001__test.sql")
            #expect(duplicate.line == 2 && duplicate.column == 1)
            #expect(duplicate.statementIndex == 1)

            let sql = "SELECT 1;\nSELECT 'é',\n       idd FROM t;\n"
            let misspelt = try #require(database.failure { try $0.apply(TestScripts.prepare(sql)) })
            #expect(misspelt.code == "SQLSTATE 42703")
            #expect(misspelt.message == "column \"idd\" does not exist")
            #expect(misspelt.hint?.contains("Perhaps you meant to reference the column \"t.id\"") == true)
            #expect(misspelt.line == 3 && misspelt.column == 8)
            #expect(misspelt.statementIndex == 2)
            #expect(misspelt.description.hasPrefix("projects/demo/V1.0.0.001__test.sql:3:8 (statement 2): SQLSTATE 42703: column \"idd\" does not exist"))
        }
    }

    @Test func fileTransactionsAreHonouredAndRolledBackOnError() throws {
        try withDatabase("tx") { database in
            try database.apply(TestScripts.prepare("BEGIN;\nCREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\nCOMMIT;\n"))
            #expect(try database.scalar("SELECT count(*) FROM a") == "1")

            let failure = try #require(database.failure {
                try $0.apply(TestScripts.prepare("BEGIN;\nCREATE TABLE b (id int);\nINSERT INTO b VALUES ('x');\nCOMMIT;\n"))
            })
            #expect(failure.code == "SQLSTATE 22P02")
            #expect(failure.line == 3 && failure.column == 23)
            #expect(try !tableExists("b", in: database))
            #expect(try database.session().transactionStatus == .idle)
            #expect(try database.scalar("SELECT 42") == "42")
        }
    }

    @Test func stopsAtTheFirstErrorLikeOnErrorStop() throws {
        try withDatabase("stop") { database in
            let failure = try #require(database.failure {
                try $0.apply(TestScripts.prepare("CREATE TABLE before_error (id int);\nSELECT 1/0;\nCREATE TABLE after_error (id int);\n"))
            })
            #expect(failure.code == "SQLSTATE 22012")
            #expect(failure.statementIndex == 2)
            #expect(try tableExists("before_error", in: database))
            #expect(try !tableExists("after_error", in: database))
        }
    }

    @Test func eachFileStartsWithAFreshSessionLikePsql() throws {
        try withDatabase("session") { database in
            try database.apply(TestScripts.prepare("CREATE SCHEMA app;\nSET search_path = app;\nCREATE TABLE inside (id int);\n"))
            try database.apply(TestScripts.prepare("CREATE TABLE outside (id int);\n"))
            #expect(try database.scalar("SELECT to_regclass('app.inside') IS NOT NULL") == "t")
            #expect(try tableExists("outside", in: database))
        }
    }

    @Test func copyFromStdinIsRefusedByTheServerPath() throws {
        try withDatabase("copy") { database in
            try database.apply(TestScripts.prepare("CREATE TABLE c (id int);"))
            let failure = try #require(database.failure { try $0.apply(TestScripts.prepare("COPY c FROM stdin;")) })
            #expect(failure.message.contains("COPY FROM STDIN is not supported"))
            #expect(try database.scalar("SELECT 1") == "1")
        }
    }

    @Test func concurrentIndexInsideATransactionIs25001() throws {
        try withDatabase("concurrently") { database in
            try database.apply(TestScripts.prepare("CREATE TABLE c (id int);\nCREATE INDEX CONCURRENTLY c_id ON c (id);\n"))
            let failure = try #require(database.failure {
                try $0.apply(TestScripts.prepare("BEGIN;\nCREATE INDEX CONCURRENTLY c_id2 ON c (id);\nCOMMIT;\n"))
            })
            #expect(failure.code == "SQLSTATE 25001")
            #expect(failure.message.contains("cannot run inside a transaction block"))
            #expect(failure.line == 2)
            #expect(try database.session().transactionStatus == .idle)
        }
    }

    @Test func aFileEndingInsideItsTransactionFails() throws {
        try withDatabase("open_tx") { database in
            let failure = try #require(database.failure {
                try $0.apply(TestScripts.prepare("CREATE TABLE kept (id int);\n  BEGIN;\nCREATE TABLE lost (id int);\n"))
            })
            #expect(failure.code == nil)
            #expect(failure.message.contains("ends inside an open transaction"))
            #expect(failure.message.contains("COMMIT"))
            #expect(failure.line == 2 && failure.column == 3)
            #expect(failure.statementIndex == 2)
            #expect(try tableExists("kept", in: database))
            #expect(try !tableExists("lost", in: database))
            #expect(try database.session().transactionStatus == .idle)
        }
    }

    @Test func validatorsPassOnlyOnASingleTrue() throws {
        try withDatabase("validate") { database in
            try database.apply(TestScripts.prepare("CREATE TABLE v (id int PRIMARY KEY);\nINSERT INTO v VALUES (1), (2);\n"))
            func validator(_ sql: String) throws -> PreparedScript {
                try TestScripts.prepare(sql, name: "check.sql", role: .validator)
            }
            try database.validate(validator("SET search_path = public;\nSELECT count(*) = 2 FROM v;\nSELECT EXISTS (SELECT 1 FROM v WHERE id = 1);\n"))

            let falseResult = try #require(database.failure { try $0.validate(validator("SELECT true;\nSELECT count(*) = 3 FROM v;")) })
            #expect(falseResult.message == "expected one row with one column true, got false")
            #expect(falseResult.code == nil)
            #expect(falseResult.line == 2 && falseResult.statementIndex == 2)

            let noRows = try #require(database.failure { try $0.validate(validator("SELECT true FROM v WHERE id = 99;")) })
            #expect(noRows.message == "expected one row with one column true, got 0 rows")

            let twoRows = try #require(database.failure { try $0.validate(validator("SELECT true FROM v;")) })
            #expect(twoRows.message == "expected one row with one column true, got 2 rows")

            let twoColumns = try #require(database.failure { try $0.validate(validator("SELECT true, true;")) })
            #expect(twoColumns.message == "expected one row with one column true, got 2 columns")

            let null = try #require(database.failure { try $0.validate(validator("SELECT NULL::boolean;")) })
            #expect(null.message == "expected one row with one column true, got NULL")

            let notBoolean = try #require(database.failure { try $0.validate(validator("SELECT 1;")) })
            #expect(notBoolean.message.contains("not a boolean"))
            #expect(notBoolean.detail == "the validator was: SELECT 1")

            let raising = try #require(database.failure {
                try $0.validate(validator("DO $$\nBEGIN\n  IF (SELECT count(*) FROM v) <> 5 THEN\n    RAISE EXCEPTION 'expected 5 rows in v';\n  END IF;\nEND\n$$;"))
            })
            #expect(raising.message == "expected 5 rows in v")
            #expect(raising.code == "SQLSTATE P0001")
            #expect(raising.line == 1)
            #expect(raising.context?.contains("PL/pgSQL function inline_code_block line 4 at RAISE") == true, "\(raising.context ?? "no context")")
            #expect(raising.description.contains("\nCONTEXT: PL/pgSQL"))

            let broken = try #require(database.failure { try $0.validate(validator("SELECT count(*) = 2 FROM missing_table;")) })
            #expect(broken.code == "SQLSTATE 42P01")
            #expect(try database.session().transactionStatus == .idle)
        }
    }

    @Test func validatorsCannotChangeTheDatabase() throws {
        try withDatabase("validate_rollback") { database in
            try database.apply(TestScripts.prepare("CREATE TABLE w (id int);\n"))
            try database.validate(TestScripts.prepare(
                "INSERT INTO w VALUES (1);\nCREATE TABLE scratch (id int);\nSELECT count(*) = 1 FROM w;\n", name: "check.sql", role: .validator
            ))
            #expect(try database.scalar("SELECT count(*) FROM w") == "0")
            #expect(try !tableExists("scratch", in: database))

            let committing = try #require(database.failure {
                try $0.validate(TestScripts.prepare("INSERT INTO w VALUES (2);\nCOMMIT;\nSELECT true;\n", name: "check.sql", role: .validator))
            })
            #expect(committing.message.contains("COMMIT is not allowed in a validator"))
            #expect(committing.statementIndex == 2)
            #expect(try database.scalar("SELECT count(*) FROM w") == "0")
        }
    }

    @Test func cloneCopiesSchemaAndData() throws {
        try withDatabase("original") { database in
            try database.apply(TestScripts.prepare("""
            CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
            CREATE INDEX customers_name ON customers (name);
            CREATE VIEW customer_names AS SELECT name FROM customers;
            INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace');
            """))
            let snapshot = try database.snapshot()
            let data = try database.fingerprint()
            #expect(snapshot.object(kind: "table", name: "public.customers") != nil)
            #expect(data.tables["public.customers"]?.rows.count == 2)

            let started = Date()
            let copy = try database.copy(label: "copy")
            print("clone took \(String(format: "%.3f", Date().timeIntervalSince(started))) s")
            defer { copy.drop() }
            #expect(copy.name != database.name)
            #expect(copy.name.hasPrefix("rehearse_copy_"))
            #expect(try copy.snapshot() == snapshot)
            #expect(try copy.fingerprint() == data)

            try copy.apply(TestScripts.prepare("INSERT INTO customers VALUES (3, 'Edsger');"))
            #expect(try database.scalar("SELECT count(*) FROM customers") == "2")
            #expect(try copy.scalar("SELECT count(*) FROM customers") == "3")
        }
    }

    @Test func dropRemovesTheDatabaseAndIsSafeTwice() throws {
        let engine = try DisposablePostgres.engine
        let database = try engine.newDatabase(label: "Drop Me v1.2.3")
        #expect(database.name.hasPrefix("rehearse_drop_me_v1_2_3_"))
        try database.apply(TestScripts.prepare("CREATE TABLE d (id int);"))
        #expect(engine.liveDatabases.contains(database.name))
        database.drop()
        database.drop()
        #expect(!engine.liveDatabases.contains(database.name))
        let probe = try engine.newDatabase(label: "probe")
        defer { probe.drop() }
        #expect(try probe.scalar("SELECT count(*) FROM pg_database WHERE datname = '\(database.name)'") == "0")
    }

    @Test func backupRoundTripRestoresTheSameSchema() throws {
        try withDatabase("backup") { database in
            try database.apply(TestScripts.prepare("""
            CREATE TYPE mood AS ENUM ('sad', 'happy');
            CREATE TABLE people (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, mood mood NOT NULL DEFAULT 'happy', email text UNIQUE);
            CREATE FUNCTION happy_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM people WHERE mood = 'happy' $$;
            COMMENT ON TABLE people IS 'who is here';
            INSERT INTO people (email) VALUES ('a@example.com');
            """))
            let restored = try database.backupRoundTrip()
            #expect(restored == (try database.snapshot()))
            #expect(!restored.isEmpty)
            #expect(try DisposablePostgres.engine.liveDatabases.allSatisfy { !$0.hasPrefix("rehearse_restore_") })
        }
    }

    @Test func noticesAreCollectedAndCleared() throws {
        try withDatabase("notices") { database in
            let connection = try database.session()
            try connection.execute("DO $$ BEGIN RAISE NOTICE 'first %', 1; RAISE WARNING 'second'; END $$")
            #expect(connection.notices.map(\.message) == ["first 1", "second"])
            #expect(connection.notices.map(\.severity) == ["NOTICE", "WARNING"])
            connection.clearNotices()
            #expect(connection.notices.isEmpty)
            try connection.execute("DROP TABLE IF EXISTS never_there")
            #expect(connection.notices.first?.message.contains("does not exist, skipping") == true)
        }
    }

    @Test func connectionReportsTransactionStatusAndServerErrors() throws {
        try withDatabase("connection") { database in
            let connection = try database.session()
            #expect(connection.transactionStatus == .idle)
            try connection.execute("BEGIN")
            #expect(connection.transactionStatus == .inTransaction)
            #expect(throws: PostgresError.self) { try connection.execute("SELECT nope") }
            #expect(connection.transactionStatus == .inFailedTransaction)
            try connection.execute("ROLLBACK")
            #expect(connection.transactionStatus == .idle)

            let result = try connection.execute("SELECT 1 AS one, NULL::text AS nothing UNION ALL SELECT 2, 'x'")
            #expect(result.columns == ["one", "nothing"])
            #expect(result.rows == [["1", nil], ["2", "x"]])
            #expect(result.commandStatus == "SELECT 2")
            #expect(try connection.execute("CREATE TABLE z (id int)").commandStatus == "CREATE TABLE")

            do {
                try connection.execute("SELECT 1 +")
                Issue.record("expected a syntax error")
            } catch let error as PostgresError {
                #expect(error.kind == .server)
                #expect(error.sqlState == "42601")
                #expect(error.severity == "ERROR")
                #expect(error.position == 11)
            }
            connection.close()
            connection.close()
            #expect(connection.transactionStatus == .unknown)
            #expect(throws: PostgresError.self) { try connection.execute("SELECT 1") }
        }
    }

    @Test func existingServerEngineUsesOnlyItsOwnDatabasesAndHidesThePassword() throws {
        let disposable = try DisposablePostgres.engine
        let socket = try #require(disposable.cluster?.socketDirectory)
        let password = try #require(disposable.cluster?.password)
        let url = "postgresql://rehearse:\(password)@/postgres?host=\(socket)&port=\(PostgresCluster.port)"
        let existing = try PostgresEngine.existing(url: url)
        #expect(existing.serverInfo.location == "\(socket):\(PostgresCluster.port)")
        #expect(!existing.serverInfo.summary.contains(password))
        #expect(existing.cluster == nil)

        let bystander = try disposable.newDatabase(label: "bystander")
        defer { bystander.drop() }
        let scratch = try existing.newDatabase(label: "existing")
        #expect(scratch.name.hasPrefix("rehearse_existing_"))
        try scratch.apply(TestScripts.prepare("CREATE TABLE e (id int);"))
        let leftover = try existing.newDatabase(label: "leftover")
        scratch.drop()
        existing.shutdown()
        existing.shutdown()

        let names = try bystander.execute("SELECT datname FROM pg_database").rows.compactMap { $0[0] }
        #expect(names.contains(bystander.name))
        #expect(!names.contains(leftover.name))
        #expect(!names.contains(scratch.name))
        #expect(disposable.cluster?.isRunning == true)
    }

    @Test func badURLsAndUnreachableServersAreClearErrorsWithoutThePassword() throws {
        #expect(throws: InputError.self) { try PostgresEngine.existing(url: "postgresql://user:pw@host:notaport/db") }
        do {
            _ = try PostgresEngine.existing(url: "postgresql://someone:topsecret@/appdb?host=/nonexistent-socket-dir&port=6543")
            Issue.record("expected the connection to fail")
        } catch let error as EnvironmentError {
            #expect(error.message.hasPrefix("cannot talk to PostgreSQL at /nonexistent-socket-dir:6543/appdb: "))
            #expect(!error.message.contains("topsecret"))
        }
    }
}
