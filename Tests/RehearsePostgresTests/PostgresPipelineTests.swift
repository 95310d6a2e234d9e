import Testing
@testable import RehearsePostgres
import RehearseCore

/// Rehearse's own reads are prepared once per session and sent as one pipeline; the session reset drops what
/// a script prepared and keeps them; a script that drops them does not break the next read.
@Suite(.catalogServer)
struct PostgresPipelineTests {
    private func withDatabase<T>(_ label: String, _ body: (PostgresDatabase) throws -> T) throws -> T {
        try CatalogTestServer.withDatabase(label) { database in
            try body(try #require(database as? PostgresDatabase))
        }
    }

    private func ownPreparedCount(_ connection: PostgresConnection) throws -> Int {
        let rows = try connection.execute("SELECT count(*) FROM pg_prepared_statements WHERE NOT from_sql").rows
        return Int(rows[0][0] ?? "") ?? -1
    }

    @Test func aPipelineReturnsOneResultPerStatementAndPreparesOnlyOnce() throws {
        try withDatabase("pipeline") { database in
            let connection = try database.session()
            let statements = [
                PostgresConnection.PipelinedStatement(sql: "SELECT 1 AS one", reusable: true),
                PostgresConnection.PipelinedStatement(sql: "SELECT 'x'::text, NULL::text", reusable: false),
                PostgresConnection.PipelinedStatement(sql: "SELECT 1 AS one", reusable: true),
            ]
            let first = try connection.executePipeline(statements)
            #expect(first.map(\.rows) == [[["1"]], [["x", nil]], [["1"]]])
            #expect(try ownPreparedCount(connection) == 1)
            let second = try connection.executePipeline(statements)
            #expect(second.map(\.rows) == first.map(\.rows))
            #expect(try ownPreparedCount(connection) == 1)
        }
    }

    @Test func aFailureNamesItsStatementAndUndoesTheImplicitTransaction() throws {
        try withDatabase("pipeline_failure") { database in
            let connection = try database.session()
            let failure = try #require(throws: PostgresBatchFailure.self) {
                try connection.executePipeline([
                    .init(sql: "CREATE TABLE public.gone (a integer)", reusable: false),
                    .init(sql: "SELECT 1 / 0", reusable: true),
                    .init(sql: "CREATE TABLE public.never (a integer)", reusable: false),
                ])
            }
            #expect(failure.statementIndex == 1)
            #expect(failure.error.sqlState == "22012")
            #expect(connection.transactionStatus == .idle)
            #expect(try connection.execute("SELECT to_regclass('public.gone') IS NULL AND to_regclass('public.never') IS NULL").rows == [["t"]])
            // A statement whose preparation succeeded is known even though its execution failed.
            #expect(try ownPreparedCount(connection) == 1)
        }
    }

    @Test func theSessionResetDropsAScriptsPreparedStatementsAndKeepsRehearsesOwn() throws {
        try withDatabase("pipeline_reset") { database in
            try database.execute("CREATE TABLE public.t (a integer)")
            _ = try database.snapshot()
            let connection = try database.session()
            let own = try ownPreparedCount(connection)
            #expect(own > 0)
            try connection.execute("PREPARE mine AS SELECT 1")
            _ = try database.snapshot()
            #expect(try connection.execute("SELECT count(*) FROM pg_prepared_statements WHERE from_sql").rows == [["0"]])
            #expect(try ownPreparedCount(connection) == own)
        }
    }

    /// A statement prepared by a function, created on another session, whose call says nothing of `prepare`: the
    /// reset inside a step deallocates it all the same.
    @Test func aStatementAFunctionPreparedIsDeallocatedInAStep() throws {
        try withDatabase("pipeline_function_prepare") { database in
            try database.execute("CREATE FUNCTION public.make() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'PREPARE hidden AS SELECT 1'; END $$")
            database.disconnect()
            try database.beginStep()
            try database.apply(TestScripts.prepare("SELECT public.make();\n"))
            let connection = try database.session()
            #expect(try connection.execute("SELECT count(*) FROM pg_prepared_statements WHERE from_sql").rows == [["1"]])
            try database.apply(TestScripts.prepare("SELECT 1;\n"))
            #expect(try connection.execute("SELECT count(*) FROM pg_prepared_statements WHERE from_sql").rows == [["0"]])
            try database.commitStep()
        }
    }

    @Test func theWordPrepareIsFoundInAnyCase() {
        #expect(PostgresConnection.mentionsPrepare("PREPARE q AS SELECT 1"))
        #expect(PostgresConnection.mentionsPrepare("select 1; -- then pRePaRe"))
        #expect(PostgresConnection.mentionsPrepare("preprepare"))
        #expect(!PostgresConnection.mentionsPrepare("SELECT 'prepar'"))
        #expect(!PostgresConnection.mentionsPrepare(""))
    }

    @Test func aScriptThatDropsThePreparedReadsDoesNotBreakTheNextSnapshot() throws {
        try withDatabase("pipeline_deallocated") { database in
            try database.execute("CREATE TABLE public.t (a integer)")
            let before = try database.snapshot()
            let digest = try database.dataDigest()
            let connection = try database.session()
            try connection.execute("DEALLOCATE ALL")
            #expect(try database.snapshot() == before)
            try connection.execute("DEALLOCATE ALL")
            #expect(try database.dataDigest() == digest)
            // Inside a transaction block too: the failed read is rolled back to its savepoint and sent again.
            try connection.execute("BEGIN")
            try connection.execute("DEALLOCATE ALL")
            let reader = PostgresCatalogReader(connection: connection)
            #expect(try reader.snapshot() == before)
            #expect(connection.transactionStatus == .inTransaction)
            try connection.execute("ROLLBACK")
        }
    }
}
