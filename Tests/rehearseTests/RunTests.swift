import Foundation
import Testing

enum DatabaseName: String, Sendable {
    case postgresql, mongodb
}

/// Whole runs of the binary on real disposable servers: exit statuses, reports, and clean-up after Ctrl-C.
@Suite(.serialized) struct RunTests {
    @Test func goodProjectExits0AndWritesJUnit() throws {
        let junit = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: junit) }
        let outcome = try RehearseProcess.run(["verify", "sample-migrations", "--project", "e-commerce", "--database", "postgresql", "--junit", junit.path])
        #expect(outcome.status == 0, "\(outcome.output)")
        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(xml.contains("<testsuite name=\"e-commerce/postgresql\""))
        #expect(xml.contains("name=\"upgrade v1.0.0 -&gt; v1.1.0: equivalence\""))
    }

    @Test func brokenProjectExits1() throws {
        let outcome = try RehearseProcess.run(["verify", "sample-migrations", "--project", "broken-concurrent-index-in-transaction"])
        #expect(outcome.status == 1, "\(outcome.output)")
        #expect(outcome.stdout.contains("SQLSTATE 25001"))
    }

    /// Ctrl-C (or a CI runner's SIGTERM) mid-run stops the disposable server and removes its directory.
    @Test(arguments: [(DatabaseName.postgresql, SIGINT), (.postgresql, SIGTERM), (.mongodb, SIGINT)])
    func interruptedRunLeavesNoServerAndNoDirectory(database: DatabaseName, signal: Int32) throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-sigint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: tmp.path)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let run = RehearseProcess(
            ["verify", "sample-migrations", "--project", "e-commerce", "--database", database.rawValue, "--jobs", "1"],
            environment: ["TMPDIR": tmp.path, "REHEARSE_SERVER_DIR": tmp.path]
        )
        try run.start()
        let before = run.read(until: "install v1.0.0: forward")
        #expect(before.contains("install v1.0.0: forward"), "no progress before the interrupt: \(before)")
        let leftBehindWhileRunning = try FileManager.default.contentsOfDirectory(atPath: tmp.path)
        #expect(!leftBehindWhileRunning.isEmpty, "the server should live under TMPDIR while running")
        kill(run.process.processIdentifier, signal)
        let outcome = run.finish()
        #expect(outcome.status == 128 + signal, "\(outcome.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path) == [])
        #expect(Self.processes(mentioning: tmp.path).isEmpty, "server processes left: \(Self.processes(mentioning: tmp.path))")
    }

    /// An interrupt while the cluster is still being created or started leaves nothing behind either.
    @Test(arguments: [0.15, 0.4, 0.6, 0.7, 0.8, 1.0])
    func interruptDuringStartupLeavesNothingBehind(after delay: Double) throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-early-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: tmp.path)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let run = RehearseProcess(["verify", "sample-migrations", "--project", "e-commerce", "--database", "postgresql"], environment: ["TMPDIR": tmp.path, "REHEARSE_SERVER_DIR": tmp.path])
        try run.start()
        Thread.sleep(forTimeInterval: delay)
        kill(run.process.processIdentifier, SIGTERM)
        let outcome = run.finish()
        #expect(outcome.status == 128 + SIGTERM || run.process.terminationReason == .uncaughtSignal, "\(outcome.output)")
        Thread.sleep(forTimeInterval: 0.2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path) == [])
        #expect(Self.processes(mentioning: tmp.path).isEmpty, "server processes left: \(Self.processes(mentioning: tmp.path))")
    }

    /// Command lines of running processes that mention `text` (a server's data directory).
    static func processes(mentioning text: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { $0.allSatisfy(\.isNumber) }.compactMap { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let commandLine = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return commandLine.contains(text) ? "\(pid): \(commandLine)" : nil
        }
    }
}
