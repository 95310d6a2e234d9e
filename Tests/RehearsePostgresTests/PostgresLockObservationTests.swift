import Foundation
import Testing
@testable import RehearseCore
@testable import RehearsePostgres

/// `safety` on a real server: the locks and rewrites of each statement on a table with rows, and the verdict.
@Suite(.disposablePostgres) struct PostgresLockObservationTests {
    /// A database whose `orders` table holds three rows, the state a migration starts from.
    private func observe(_ sql: String, execution: ExecutionMode = .transaction, setup: String? = nil) throws -> LockObservation {
        let database = try DisposablePostgres.engine.newDatabase(label: "locks")
        defer { database.drop() }
        try database.apply(TestScripts.prepare(
            setup ?? "CREATE TABLE orders (id int PRIMARY KEY, total int NOT NULL, customer int);\nINSERT INTO orders SELECT g, g * 10, g FROM generate_series(1, 3) g;\n",
            name: "V1__setup.sql"
        ))
        return try database.observeLocks([TestScripts.prepare(sql, name: "V2__change.sql", execution: execution)])
    }

    private func verdict(_ observation: LockObservation) -> CheckResult.Outcome {
        SafetyCheck.verdict(observation) { _ in false }.outcome
    }

    @Test func alterColumnTypeRewritesTheTableAndFails() throws {
        let observation = try observe("ALTER TABLE orders ALTER COLUMN total TYPE bigint;\n")
        #expect(observation.rowCounts["public.orders"] == 3)
        let statement = try #require(observation.statements.first)
        #expect(statement.rewritten == ["public.orders"])
        #expect(statement.locks["public.orders"]?.contains("AccessExclusiveLock") == true)
        guard case let .failed(failure) = verdict(observation) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.message == "projects/demo/V2__change.sql:1: ALTER TABLE orders ALTER COLUMN total TYPE bigint takes ACCESS EXCLUSIVE on public.orders (3 rows) and rewrites it")
        #expect(failure.details.contains("observed locks per statement:"))
    }

    @Test func aBlockingCreateIndexFails() throws {
        let observation = try observe("CREATE INDEX orders_customer ON orders (customer);\n")
        let statement = try #require(observation.statements.first)
        #expect(statement.locks["public.orders"] == ["ShareLock"])
        #expect(statement.rewritten.isEmpty && statement.scanned == ["public.orders"])
        guard case let .failed(failure) = verdict(observation) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.message == "projects/demo/V2__change.sql:1: CREATE INDEX orders_customer ON orders (customer) takes SHARE on public.orders (3 rows) while reading all of it")
        #expect(SafetyCheck.verdict(observation) { _ in true }.outcome == .passed)
    }

    @Test func createIndexConcurrentlyPasses() throws {
        let observation = try observe("CREATE INDEX CONCURRENTLY orders_customer ON orders (customer);\n", execution: .transactionUnlessNonTransactional)
        let statement = try #require(observation.statements.first)
        #expect(statement.outsideTransaction && statement.assumedMode == "ShareUpdateExclusiveLock")
        #expect(statement.rewritten.isEmpty)
        #expect(verdict(observation) == .passed)
    }

    private static let notValidThenValidate =
        "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;\n"

    @Test func notValidThenValidateInTransactionsOfTheirOwnPasses() throws {
        let observation = try observe(Self.notValidThenValidate, execution: .autocommit)
        #expect(observation.statements.count == 2)
        #expect(observation.statements[1].locks["public.orders"] == ["ShareUpdateExclusiveLock"])
        #expect(observation.statements[1].heldLocks.isEmpty)
        #expect(observation.statements.allSatisfy { $0.rewritten.isEmpty })
        #expect(verdict(observation) == .passed)
    }

    /// In one transaction the ACCESS EXCLUSIVE lock of `ADD CONSTRAINT … NOT VALID` is still held while `VALIDATE`
    /// reads the table, so nothing is gained.
    @Test func notValidThenValidateInOneTransactionFails() throws {
        let observation = try observe(Self.notValidThenValidate, execution: .transaction)
        #expect(observation.statements[1].heldLocks["public.orders"] == ["AccessExclusiveLock"])
        guard case let .failed(failure) = verdict(observation) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.message == "projects/demo/V2__change.sql:2: ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive holds ACCESS EXCLUSIVE on public.orders (3 rows) (taken earlier in its transaction) while reading all of it")
    }

    @Test func anEmptyTableGetsGeneratedRows() throws {
        let observation = try observe("ALTER TABLE notes ALTER COLUMN body TYPE varchar(20);\n", setup: "CREATE TABLE notes (id serial, body text);\n")
        #expect(observation.generatedRows == ["public.notes"])
        #expect(observation.rowCounts["public.notes"] == 3)
        #expect(observation.statements.first?.rewritten == ["public.notes"])
    }

    /// A file sent as one query string is one transaction, until its own COMMIT ends it.
    @Test func aFilesOwnCommitEndsWhatItsLaterStatementsHold() throws {
        let sql = "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;\nCOMMIT;\nALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;\n"
        let observation = try observe(sql, execution: .singleQuery)
        #expect(observation.statements.count == 2)
        #expect(observation.statements[1].heldLocks.isEmpty)
        #expect(verdict(observation) == .passed)
    }

    // MARK: - In place, before forward

    private static let ordersWithSequence = """
        CREATE TABLE orders (id serial PRIMARY KEY, total int NOT NULL, customer int);
        INSERT INTO orders (total, customer) SELECT g * 10, g FROM generate_series(1, 3) g;
        CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY, body text);
        CREATE SEQUENCE untouched_seq;
        """

    /// The same migration measured on a copy and in place on the start: the observations must be the same.
    private func observeBothWays(_ sql: String, execution: ExecutionMode = .transaction) throws -> (copy: LockObservation, inPlace: LockObservation, database: PostgresDatabase) {
        let database = try DisposablePostgres.engine.newDatabase(label: "locks_in_place")
        try database.apply(TestScripts.prepare(Self.ordersWithSequence, name: "V1__setup.sql"))
        let copy = try database.copy(label: "locks_copy")
        defer { copy.drop() }
        let script = try TestScripts.prepare(sql, name: "V2__change.sql", execution: execution)
        let onCopy = try copy.observeLocks([script], setup: [], inPlace: false)
        let inPlace = try database.observeLocks([script], setup: [], inPlace: true)
        return (onCopy, inPlace, database)
    }

    @Test(arguments: [
        "ALTER TABLE orders ALTER COLUMN total TYPE bigint;\n",
        "CREATE INDEX orders_customer ON orders (customer);\n",
        "ALTER TABLE notes ALTER COLUMN body TYPE varchar(20);\n",
        "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;\n",
        "ALTER TABLE orders ADD COLUMN note text;\nINSERT INTO orders (total) VALUES (5);\n",
    ])
    func inPlaceMeasuresWhatACopyMeasures(sql: String) throws {
        let (onCopy, inPlace, database) = try observeBothWays(sql)
        defer { database.drop() }
        #expect(inPlace == onCopy)
        #expect(verdict(inPlace) == verdict(onCopy))
    }

    @Test func inPlaceFailsARewriteAndPassesNotValidAsACopyDoes() throws {
        let (rewriteCopy, rewriteInPlace, first) = try observeBothWays("ALTER TABLE orders ALTER COLUMN total TYPE bigint;\n")
        defer { first.drop() }
        guard case let .failed(failure) = verdict(rewriteInPlace) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.message.contains("takes ACCESS EXCLUSIVE on public.orders (3 rows) and rewrites it"))
        #expect(verdict(rewriteCopy) == .failed(failure))
        let (passCopy, passInPlace, second) = try observeBothWays(Self.notValidThenValidate, execution: .autocommit)
        defer { second.drop() }
        #expect(verdict(passInPlace) == .passed)
        #expect(verdict(passCopy) == .passed)
    }

    @Test func inPlaceLeavesTheDatabaseAsItWasSequencesIncluded() throws {
        let database = try DisposablePostgres.engine.newDatabase(label: "locks_untouched")
        defer { database.drop() }
        try database.apply(TestScripts.prepare(Self.ordersWithSequence + "SELECT setval('untouched_seq', 40, false);\n", name: "V1__setup.sql"))
        let schema = try database.snapshot()
        let data = try database.fingerprint()
        let state = "SELECT last_value::text || ' ' || is_called::text FROM "
        let before = try ["orders_id_seq", "notes_id_seq", "untouched_seq"].map { try database.execute(state + $0).rows }
        let observation = try database.observeLocks([TestScripts.prepare(
            "INSERT INTO orders (total) SELECT g FROM generate_series(1, 50) g;\nSELECT nextval('untouched_seq');\nALTER TABLE orders ALTER COLUMN total TYPE bigint;\nALTER TABLE notes ALTER COLUMN body TYPE varchar(20);\nCREATE TABLE later (id serial);\n",
            name: "V2__change.sql", execution: .transaction
        )], setup: [], inPlace: true)
        #expect(observation.generatedRows == ["public.notes"])
        // The INSERT reads no row of orders: counting its rows beforehand is not the statement's scan.
        #expect(observation.statements.first?.scanned == [])
        #expect(try database.snapshot() == schema)
        #expect(try database.fingerprint() == data)
        #expect(try ["orders_id_seq", "notes_id_seq", "untouched_seq"].map { try database.execute(state + $0).rows } == before)
        #expect(try database.execute("SELECT nextval('orders_id_seq')::text").rows == [["4"]])
    }

    /// The measurement's own reads are prepared once per session; a migration that drops every prepared statement
    /// between its statements is still measured, in place as on a copy, and the second time as the first.
    @Test func aMigrationThatDropsThePreparedReadsIsStillMeasured() throws {
        let sql = "ALTER TABLE orders ADD COLUMN note text;\nDEALLOCATE ALL;\nALTER TABLE orders ALTER COLUMN total TYPE bigint;\n"
        let (onCopy, inPlace, database) = try observeBothWays(sql)
        defer { database.drop() }
        #expect(inPlace == onCopy)
        #expect(inPlace.statements.map(\.rewritten) == [[], [], ["public.orders"]])
        let again = try database.observeLocks([TestScripts.prepare(sql, name: "V2__change.sql", execution: .transaction)], setup: [], inPlace: true)
        #expect(again == inPlace)
    }

    /// Only the tables the statements touch are counted, and an empty table nobody touches gets no rows.
    @Test func onlyTouchedTablesAreCountedOrFilled() throws {
        let (onCopy, inPlace, database) = try observeBothWays("ALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX orders_customer ON orders (customer);\n")
        defer { database.drop() }
        #expect(inPlace == onCopy)
        #expect(inPlace.rowCounts == ["public.orders": 3])
        #expect(inPlace.generatedRows.isEmpty)
        #expect(inPlace.statements.map(\.scanned) == [[], ["public.orders"]])
    }

    /// A statement that fails without the generated rows is measured again with them, as it always was.
    @Test func aStatementThatNeedsTheGeneratedRowsIsMeasuredWithThem() throws {
        let (onCopy, inPlace, database) = try observeBothWays(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM notes) THEN RAISE EXCEPTION 'notes is empty'; END IF; END $$;\nALTER TABLE notes ALTER COLUMN body TYPE varchar(20);\n"
        )
        defer { database.drop() }
        #expect(inPlace == onCopy)
        #expect(inPlace.generatedRows == ["public.notes"])
        #expect(inPlace.rowCounts == ["public.notes": 3])
        #expect(inPlace.statements.last?.rewritten == ["public.notes"])
    }

    /// An empty table that refuses generated rows (a column without a default that must not be NULL) is measured as
    /// it is, and its rewrite still shows by its file. Every debug build compares this with filling every table.
    @Test func anEmptyTableThatRefusesGeneratedRowsIsMeasuredAsItIs() throws {
        let observation = try observe(
            "ALTER TABLE strict ALTER COLUMN body TYPE varchar(20);\n",
            setup: "CREATE TABLE strict (id int PRIMARY KEY, body text NOT NULL);\nCREATE TABLE spare (n int);\n"
        )
        #expect(observation.generatedRows.isEmpty)
        #expect(observation.rowCounts == ["public.strict": 0])
        #expect(observation.statements.first?.rewritten == ["public.strict"])
    }

    /// Generating rows can scan another table (a foreign key's check): that is not the statement's read.
    @Test func aScanByGeneratedRowsIsNotTheStatements() throws {
        let observation = try observe(
            "ALTER TABLE child ALTER COLUMN note TYPE varchar(20);\n",
            setup: "CREATE TABLE parent (id int PRIMARY KEY);\nINSERT INTO parent VALUES (1);\nCREATE TABLE child (id serial, parent_id int NOT NULL DEFAULT 1 REFERENCES parent (id), note text);\n"
        )
        #expect(observation.generatedRows == ["public.child"])
        let statement = try #require(observation.statements.first)
        #expect(statement.rewritten == ["public.child"])
        #expect(statement.scanned.isEmpty)
    }

    /// With the sequences known since the last commit, a sequence the measurement advanced and then dropped is set
    /// back too: the drop is rolled back, the advance is not.
    @Test func inPlaceSetsBackASequenceItAdvancedAndDropped() throws {
        let database = try DisposablePostgres.engine.newDatabase(label: "locks_dropped_sequence")
        defer { database.drop() }
        try database.apply(TestScripts.prepare(Self.ordersWithSequence + "SELECT setval('untouched_seq', 40, false);\n", name: "V1__setup.sql"))
        try database.beginStep()
        try database.commitStep()
        #expect(database.knownSequences != nil)
        _ = try database.observeLocks([TestScripts.prepare(
            // notes is empty: measured the second way, without a savepoint that would undo the drop first.
            "SELECT nextval('untouched_seq');\nDROP SEQUENCE untouched_seq;\nALTER TABLE notes ADD COLUMN extra text;\n",
            name: "V2__change.sql", execution: .transaction
        )], setup: [], inPlace: true)
        #expect(try database.execute("SELECT nextval('untouched_seq')::text").rows == [["40"]])
    }

    @Test func inPlaceRefusesAStatementThatCannotRunInATransactionAndLeavesNoTrace() throws {
        let database = try DisposablePostgres.engine.newDatabase(label: "locks_refused")
        defer { database.drop() }
        try database.apply(TestScripts.prepare(Self.ordersWithSequence, name: "V1__setup.sql"))
        let schema = try database.snapshot()
        #expect(throws: ScriptFailure.self) {
            try database.observeLocks([TestScripts.prepare(
                "ALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX CONCURRENTLY orders_note ON orders (note);\n",
                name: "V2__change.sql", execution: .transactionUnlessNonTransactional
            )], setup: [], inPlace: true)
        }
        #expect(try database.snapshot() == schema)
    }

    @Test func fixturesRunInsideTheMeasurementAndAreRolledBack() throws {
        let database = try DisposablePostgres.engine.newDatabase(label: "locks_fixtures")
        defer { database.drop() }
        try database.apply(TestScripts.prepare("CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL);\n", name: "V1__setup.sql"))
        let fixture = try TestScripts.prepare("INSERT INTO customers VALUES (1, 'a@example.com'), (2, 'b@example.com');\n", name: "customers_fixture.sql")
        let observation = try database.observeLocks([TestScripts.prepare(
            "CREATE INDEX customers_email ON customers (email);\n", name: "V2__change.sql", execution: .transaction
        )], setup: [fixture], inPlace: true)
        #expect(observation.rowCounts["public.customers"] == 2)
        #expect(observation.generatedRows.isEmpty)
        #expect(observation.statements.first?.scanned == ["public.customers"])
        #expect(try database.execute("SELECT count(*)::text FROM customers").rows == [["0"]])
    }
}
