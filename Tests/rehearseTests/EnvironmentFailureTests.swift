import Foundation
import Testing

/// A failure of the machine in the middle of a run is exit 2 with an `<error type="environment">`, not a failed
/// migration (DESIGN.md, "Reports").
@Suite struct EnvironmentFailureTests {
    /// A migration step whose server connection dies: the chain's walking database is gone, as when a server is
    /// killed mid-run.
    @Test func aLostServerConnectionMidRunExits2WithAnEnvironmentError() throws {
        let root = try ExitStatusTests.repository([
            "000001_create_a.up.sql": "CREATE TABLE a (id int);",
            "000001_create_a.down.sql": "DROP TABLE a;",
            "000002_lose_the_server.up.sql": "SELECT pg_terminate_backend(pg_backend_pid());",
            "000002_lose_the_server.down.sql": "SELECT 1;",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let junit = root.appendingPathComponent("report.xml")
        let outcome = try RehearseProcess.run(["verify", root.path, "--junit", junit.path])
        #expect(outcome.status == 2, "\(outcome.output)")
        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(xml.contains("<error message=\"") && xml.contains("type=\"environment\""), "\(xml)")
        #expect(xml.contains("SQLSTATE 57P01"))
        #expect(xml.contains("000002_lose_the_server.up.sql:1"))
        #expect(xml.contains("name=\"migration 000001_create_a: forward\""))
    }
}

/// `--statement-timeout` reaches every session of a run: a script that sleeps fails its check and names the timeout.
@Suite struct StatementTimeoutFlagTests {
    @Test func aSleepingMigrationFailsForwardNamingTheTimeout() throws {
        let root = try ExitStatusTests.repository([
            "000001_sleep.up.sql": "SELECT pg_sleep(30);",
            "000001_sleep.down.sql": "SELECT 1;",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let started = Date()
        let outcome = try RehearseProcess.run(["verify", root.path, "--statement-timeout", "1s"])
        #expect(outcome.status == 1, "\(outcome.output)")
        #expect(outcome.output.contains("statement_timeout (1s) expired"), "\(outcome.output)")
        #expect(outcome.output.contains("000001_sleep.up.sql:1"))
        #expect(Date().timeIntervalSince(started) < 25)
    }
}
