import Foundation
import Testing
import RehearseCore
@testable import RehearsePostgres

/// Every session for scripts has `statement_timeout` and `lock_timeout`, and a statement that hits one fails its
/// check with its file:line and which limit fired (DESIGN.md, "How scripts are executed").
@Suite struct SessionTimeoutTests {
    @Test func aLongStatementFailsWithTheStatementTimeoutNamed() throws {
        let engine = try PostgresEngine.disposable(timeouts: SessionTimeouts(statement: 1, lock: 60))
        defer { engine.shutdown() }
        let database = try engine.newDatabase(label: "slow")
        defer { database.drop() }
        let started = Date()
        let failure = try #require(database.failure { try $0.apply(TestScripts.prepare("SELECT 1;\nSELECT pg_sleep(10);\n")) })
        #expect(Date().timeIntervalSince(started) < 8)
        #expect(failure.code == "SQLSTATE 57014")
        #expect(failure.message.hasPrefix("statement_timeout (1s) expired"), "\(failure.message)")
        #expect(failure.file == "projects/demo/V1.0.0.001__test.sql")
        #expect(failure.line == 2)
        // The session is usable again afterwards.
        try database.apply(TestScripts.prepare("SELECT 1;"))
    }

    @Test func aLockWaitFailsWithTheLockTimeoutNamed() throws {
        let engine = try PostgresEngine.disposable(timeouts: SessionTimeouts(statement: 300, lock: 1))
        defer { engine.shutdown() }
        let database = try engine.newDatabase(label: "locks")
        defer { database.drop() }
        try database.apply(TestScripts.prepare("CREATE TABLE accounts (id int);"))
        // Another session holds the table, as a running application would.
        let holder = try PostgresConnection(database.target)
        defer { holder.close() }
        try holder.execute("BEGIN")
        try holder.execute("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE")
        let started = Date()
        let failure = try #require(database.failure { try $0.apply(TestScripts.prepare("\n\nALTER TABLE accounts ADD COLUMN name text;\n")) })
        #expect(Date().timeIntervalSince(started) < 8)
        #expect(failure.code == "SQLSTATE 55P03")
        #expect(failure.message.hasPrefix("lock_timeout (1s) expired"), "\(failure.message)")
        #expect(failure.line == 3)
        try holder.execute("ROLLBACK")
    }

    @Test func theDefaultsAreFiveAndOneMinutesOnEverySession() throws {
        let engine = try PostgresEngine.disposable()
        defer { engine.shutdown() }
        let database = try engine.newDatabase(label: "defaults")
        defer { database.drop() }
        let settings = try database.execute("SELECT current_setting('statement_timeout'), current_setting('lock_timeout')").rows
        #expect(settings == [["5min", "1min"]])
        // DISCARD ALL between files keeps them: they are the session's defaults, not SETs.
        try database.execute("DISCARD ALL")
        #expect(try database.execute("SHOW statement_timeout").rows == [["5min"]])
        #expect(RehearsalOptions().sessionTimeouts == SessionTimeouts(statement: 300, lock: 60))
    }

    @Test func optionsInTheUsersURLAreKeptBesideTheTimeouts() throws {
        let target = PostgresTarget(parameters: ["host": "/tmp", "options": "-c search_path=app"], sessionTimeouts: SessionTimeouts(statement: 90, lock: 0.5))
        let options = target.withConnectionParameters { keywords, values -> String? in
            var index = 0
            while let keyword = keywords[index] {
                if String(cString: keyword) == "options", let value = values[index] { return String(cString: value) }
                index += 1
            }
            return nil
        }
        #expect(options == "-c search_path=app -c statement_timeout=90000 -c lock_timeout=500")
    }
}
