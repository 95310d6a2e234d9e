import Testing
import RehearseCore
@testable import RehearsePostgres

@Suite struct NonTransactionalStatementTests {
    private func flags(_ sql: String) throws -> [Bool] {
        try PostgresScriptParser().statements(in: Array(sql.utf8), file: "x.sql").map(\.nonTransactional)
    }

    @Test(arguments: [
        "CREATE INDEX CONCURRENTLY i ON t (a)",
        "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a)",
        "DROP INDEX CONCURRENTLY i",
        "DROP INDEX CONCURRENTLY IF EXISTS s.i",
        "REINDEX INDEX CONCURRENTLY i",
        "REINDEX (CONCURRENTLY) TABLE t",
        "REINDEX TABLE CONCURRENTLY t",
        "REINDEX DATABASE d",
        "REINDEX SYSTEM d",
        "REINDEX SCHEMA s",
        "VACUUM",
        "VACUUM FULL t",
        "VACUUM (ANALYZE, VERBOSE) t",
        "CREATE DATABASE d",
        "DROP DATABASE d",
        "DROP DATABASE IF EXISTS d WITH (FORCE)",
        "CREATE TABLESPACE ts LOCATION '/tmp/x'",
        "DROP TABLESPACE ts",
        "ALTER SYSTEM SET work_mem = '1MB'",
        "ALTER SYSTEM RESET ALL",
        "CLUSTER",
        "CLUSTER VERBOSE",
        "ALTER DATABASE d SET TABLESPACE ts",
        "CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION p",
        "CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION p WITH (create_slot = true, connect = false)",
        "DROP SUBSCRIPTION s",
        "ALTER TABLE t DETACH PARTITION p CONCURRENTLY",
        "DISCARD ALL",
        "COMMIT PREPARED 'x'",
        "ROLLBACK PREPARED 'x'",
    ])
    func refusedInsideATransaction(_ sql: String) throws {
        #expect(try flags(sql) == [true])
    }

    @Test(arguments: [
        "CREATE INDEX i ON t (a)",
        "DROP INDEX i",
        "REINDEX INDEX i",
        "REINDEX TABLE t",
        "REINDEX (CONCURRENTLY false) TABLE t",
        "ANALYZE t",
        "CLUSTER t USING i",
        "CLUSTER t",
        "ALTER DATABASE d SET work_mem = '1MB'",
        "ALTER DATABASE d RENAME TO e",
        "CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION p WITH (create_slot = false)",
        "CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION p WITH (connect = false)",
        "ALTER TABLE t DETACH PARTITION p",
        "ALTER TABLE t ADD COLUMN c int",
        "DISCARD PLANS",
        "REFRESH MATERIALIZED VIEW CONCURRENTLY mv",
        "ALTER TYPE mood ADD VALUE 'x'",
        "BEGIN",
        "COMMIT",
        "PREPARE TRANSACTION 'x'",
        "SELECT 1",
        "DO $$ BEGIN PERFORM 1; END $$",
    ])
    func allowedInsideATransaction(_ sql: String) throws {
        #expect(try flags(sql) == [false])
    }

    @Test func eachStatementOfAFileIsJudgedOnItsOwn() throws {
        let sql = "SET lock_timeout = '1s';\nCREATE INDEX CONCURRENTLY i ON t (a);\nVACUUM t;\nANALYZE t;\n"
        #expect(try flags(sql) == [false, true, true, false])
        // A file the parser cannot split is one statement whose kind is unknown.
        #expect(try flags("CREATE INDEX CONCURRENTLY i ON t (a); SELEC 1;") == [false])
    }
}
