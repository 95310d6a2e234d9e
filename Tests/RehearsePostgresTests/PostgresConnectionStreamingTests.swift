import Foundation
import Testing
import RehearseCore
@testable import RehearsePostgres

/// Rows nobody reads are counted and let go, never turned into strings: a migration that selects half a million
/// rows costs no memory for them.
@Suite(.disposablePostgres) struct PostgresConnectionStreamingTests {
    private func withDatabase(_ label: String, _ body: (PostgresDatabase) throws -> Void) throws {
        let database = try DisposablePostgres.engine.newDatabase(label: label)
        defer { database.drop() }
        try body(database)
    }

    private static let manyRows = "SELECT g, repeat('x', 50) FROM generate_series(1, 500000) g"

    @Test func discardingRowsCountsThemWithoutConvertingAny() throws {
        try withDatabase("discard") { database in
            let connection = try database.session()
            let before = connection.convertedRowCount
            let result = try connection.executeDiscardingRows(Self.manyRows)
            #expect(connection.convertedRowCount == before)
            #expect(result.rows.isEmpty)
            #expect(result.rowCount == 500_000)
            #expect(result.commandStatus == "SELECT 500000")
            #expect(result.columns == ["g", "repeat"] && result.returnsRows)

            // The counter does count what execute(_:) converts, so the zero above means something.
            _ = try connection.execute("SELECT g FROM generate_series(1, 3) g")
            #expect(connection.convertedRowCount == before + 3)
        }
    }

    @Test func keepingRowsConvertsOnlyTheFirstOnes() throws {
        try withDatabase("keep") { database in
            let connection = try database.session()
            let before = connection.convertedRowCount
            let result = try connection.execute("SELECT g::text, NULL::int FROM generate_series(1, 1000) g", keepingRows: 2)
            #expect(result.rows == [["1", nil], ["2", nil]])
            #expect(result.rowCount == 1000)
            #expect(result.columnTypes == [25, 23])
            #expect(connection.convertedRowCount == before + 2)

            let empty = try connection.execute("SELECT 1 WHERE false", keepingRows: 2)
            #expect(empty.returnsRows && empty.rows.isEmpty && empty.rowCount == 0 && empty.columns == ["?column?"])
            let command = try connection.execute("CREATE TABLE t (id int)", keepingRows: 2)
            #expect(!command.returnsRows && command.commandStatus == "CREATE TABLE")
        }
    }

    @Test func anErrorAfterSomeRowsIsTheStatementsErrorAndTheConnectionStaysUsable() throws {
        try withDatabase("midstream") { database in
            let connection = try database.session()
            #expect(throws: PostgresError.self) {
                try connection.executeDiscardingRows("SELECT 1 / (3 - g) FROM generate_series(1, 5) g")
            }
            do {
                try connection.executeDiscardingRows("SELECT 1 / (3 - g) FROM generate_series(1, 5) g")
            } catch let error as PostgresError {
                #expect(error.sqlState == "22012")
            }
            #expect(connection.transactionStatus == .idle)
            #expect(try connection.executeDiscardingRows("SELECT 1").rowCount == 1)
        }
    }

    @Test func aQueryStringStillSaysHowManyStatementsCompleted() throws {
        try withDatabase("query-string") { database in
            let connection = try database.session()
            let before = connection.convertedRowCount
            let last = try connection.executeQueryStringDiscardingRows("CREATE TABLE a (id int); \(Self.manyRows); SELECT 1, 2")
            #expect(last.rowCount == 1 && last.columns.count == 2 && last.rows.isEmpty)
            #expect(connection.convertedRowCount == before)

            do {
                try connection.executeQueryStringDiscardingRows("SELECT 1; SELECT g FROM generate_series(1, 10) g; SELECT 1 / 0; SELECT 2")
                Issue.record("expected a failure")
            } catch let failure as QueryStringFailure {
                #expect(failure.completed == 2)
                #expect(failure.error.sqlState == "22012")
            }
        }
    }

    @Test func copyBehavesAsWithExecute() throws {
        try withDatabase("copy") { database in
            let connection = try database.session()
            try connection.executeDiscardingRows("CREATE TABLE c (id int)")
            try connection.executeDiscardingRows("COPY (SELECT g FROM generate_series(1, 1000) g) TO STDOUT")
            #expect(throws: PostgresError.self) { try connection.executeDiscardingRows("COPY c FROM STDIN") }
            #expect(try connection.executeDiscardingRows("SELECT 1").rowCount == 1)
        }
    }

    @Test(arguments: [ExecutionMode.autocommit, .transaction, .singleQuery])
    func aMigrationReturningManyRowsIsAppliedWithoutConvertingThem(_ mode: ExecutionMode) throws {
        try withDatabase("apply") { database in
            let sql = "CREATE TABLE big (g int);\nINSERT INTO big SELECT g FROM generate_series(1, 500000) g RETURNING *;\n\(Self.manyRows);\n"
            let script = try TestScripts.prepare(sql, execution: mode)
            let before = try database.session().convertedRowCount
            try database.apply(script)
            #expect(try database.session().convertedRowCount == before)
            #expect(try database.scalar("SELECT count(*) FROM big") == "500000")
        }
    }

    @Test func aVerifyScriptsRowsAreNotConverted() throws {
        try withDatabase("verify") { database in
            let script = try TestScripts.prepare("\(Self.manyRows);\n", role: .verify)
            let before = try database.session().convertedRowCount
            try database.validate(script)
            #expect(try database.session().convertedRowCount == before)
        }
    }

    @Test func aValidatorReturningManyRowsFailsWithTheirCountFromTwoConvertedRows() throws {
        try withDatabase("validator") { database in
            let script = try TestScripts.prepare("SELECT true FROM generate_series(1, 500000);\n", name: "check.sql", role: .validator)
            let before = try database.session().convertedRowCount
            let failure = try #require(database.failure { try $0.validate(script) })
            #expect(failure.message == "expected one row with one column true, got 500000 rows")
            #expect(try database.session().convertedRowCount <= before + 2)

            try database.validate(TestScripts.prepare("SELECT count(*) = 0 FROM pg_class WHERE false;\n", name: "ok.sql", role: .validator))
            let none = try #require(database.failure { try $0.validate(TestScripts.prepare("SELECT true WHERE false;\n", name: "none.sql", role: .validator)) })
            #expect(none.message == "expected one row with one column true, got 0 rows")
        }
    }
}
