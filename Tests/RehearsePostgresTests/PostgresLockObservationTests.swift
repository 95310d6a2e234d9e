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

    @Test func notValidThenValidatePasses() throws {
        let observation = try observe(
            "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;\n"
        )
        #expect(observation.statements.count == 2)
        #expect(observation.statements[1].locks["public.orders"] == ["ShareUpdateExclusiveLock"])
        #expect(observation.statements.allSatisfy { $0.rewritten.isEmpty })
        #expect(verdict(observation) == .passed)
    }

    @Test func anEmptyTableGetsGeneratedRows() throws {
        let observation = try observe("ALTER TABLE notes ALTER COLUMN body TYPE varchar(20);\n", setup: "CREATE TABLE notes (id serial, body text);\n")
        #expect(observation.generatedRows == ["public.notes"])
        #expect(observation.rowCounts["public.notes"] == 3)
        #expect(observation.statements.first?.rewritten == ["public.notes"])
    }
}
