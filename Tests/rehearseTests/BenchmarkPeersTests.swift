import Foundation
import RehearseCore
import RehearsePostgres
import Testing

/// ci/benchmark-peers.sh and the history it generates, without timing anything: the script parses and refuses bad
/// arguments, and ci/generate-history.py writes, in every layout, files that Rehearse reads as the history they
/// should be and that PostgreSQL's parser splits (what yoyo and psql run is checked the same way).
@Suite struct BenchmarkPeersTests {
    static let root = RehearseProcess.packageRoot
    static let count = 8

    /// Runs `executable arguments` in the package root; returns the exit status and everything it wrote.
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        process.currentDirectoryURL = root
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A fresh history of ``count`` migrations in `layout`, in a directory removed by the caller.
    static func generate(_ layout: String) throws -> URL {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-history-\(layout)-\(UUID().uuidString)")
        let outcome = try run("python3", ["ci/generate-history.py", "--layout", layout, "--count", "\(count)", "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.output)")
        return out
    }

    static func files(_ directory: URL, suffix: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent.hasSuffix(suffix) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// The statements of `url` as Rehearse's PostgreSQL parser splits them; fails when it cannot split the file.
    static func statements(_ url: URL) throws -> [String] {
        let file = ScriptFile(url: url, displayPath: url.lastPathComponent, role: .forward, phase: "forward", number: nil, summary: url.lastPathComponent)
        let prepared = try PostgresScriptParser().prepare(file)
        #expect(prepared.unsplittable == nil, "\(url.lastPathComponent): \(prepared.unsplittable ?? "")")
        return prepared.statements.map(\.text)
    }

    @Test func theScriptParsesAndRefusesBadArgumentsBeforeDoingAnything() throws {
        let syntax = try Self.run("bash", ["-n", "ci/benchmark-peers.sh"])
        #expect(syntax.status == 0, "\(syntax.output)")
        let help = try Self.run("bash", ["ci/benchmark-peers.sh", "--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("--count N") && help.output.contains("--rounds R") && help.output.contains("--install"))
        for bad in [["--count", "0"], ["--rounds", "x"], ["--scale", "100"], ["--frobnicate"]] {
            let outcome = try Self.run("bash", ["ci/benchmark-peers.sh"] + bad)
            #expect(outcome.status == 2, "\(bad): \(outcome.output)")
            #expect(!outcome.output.contains("building rehearse"), "\(bad) got past the argument check")
        }
    }

    @Test(arguments: ["sqitch", "golang-migrate", "flyway"])
    func rehearseReadsTheGeneratedHistory(layout: String) throws {
        let out = try Self.generate(layout)
        defer { try? FileManager.default.removeItem(at: out) }
        let plan = try ListedPlan.list([out.path])
        #expect(plan.layout == layout)
        let suite = try #require(plan.suites.first)
        #expect(suite.subjects.count == Self.count)
        #expect(suite.subjects.allSatisfy { $0.rehearsed })
        let checks = Set(suite.subjects.flatMap(\.checks).filter { $0.status == "run" }.map { $0.name.components(separatedBy: ": ").last ?? "" })
        #expect(checks.isSuperset(of: ["forward", "rollback", "reversibility", "reapply", "data-preservation"]), "\(checks)")
        if layout == "sqitch" {
            #expect(checks.contains("validate"), "the sqitch layout's verify scripts run")
        }
    }

    @Test func theYoyoFilesChainTheirDependenciesAndSplit() throws {
        let out = try Self.generate("yoyo")
        defer { try? FileManager.default.removeItem(at: out) }
        let rollbacks = try Self.files(out, suffix: ".rollback.sql")
        let forwards = try Self.files(out, suffix: ".sql").filter { !$0.lastPathComponent.hasSuffix(".rollback.sql") }
        #expect(forwards.count == Self.count && rollbacks.count == Self.count)
        var previous: String?
        for forward in forwards {
            let id = forward.deletingPathExtension().lastPathComponent
            let first = try String(contentsOf: forward, encoding: .utf8).split(separator: "\n").first.map(String.init)
            if let previous {
                #expect(first == "-- depends: \(previous)", "\(forward.lastPathComponent)")
            } else {
                #expect(first?.hasPrefix("-- depends:") == false)
            }
            #expect(try Self.statements(forward).count == 1)
            previous = id
        }
        for rollback in rollbacks {
            #expect(try Self.statements(rollback).count == 1)
        }
    }

    @Test func thePsqlSessionRunsSafetysDeployThenDeployVerifyRevertDeployOfEveryMigration() throws {
        let out = try Self.generate("psql")
        defer { try? FileManager.default.removeItem(at: out) }
        for name in ["forward.sql", "rollback.sql", "verify.sql"] {
            #expect(try Self.statements(out.appendingPathComponent(name)).count == Self.count, "\(name)")
        }
        // Per migration: BEGIN up ROLLBACK (what safety measures), then BEGIN up COMMIT, BEGIN verify ROLLBACK,
        // BEGIN down COMMIT, BEGIN up COMMIT.
        let session = try Self.statements(out.appendingPathComponent("session.sql"))
        #expect(session.count == 15 * Self.count)
        #expect(session.filter { $0 == "BEGIN" }.count == 5 * Self.count)
        #expect(session.filter { $0 == "ROLLBACK" }.count == 2 * Self.count)
        #expect(Array(session.prefix(3)) == ["BEGIN", try Self.statements(out.appendingPathComponent("forward.sql"))[0], "ROLLBACK"])
        // Without safety's deploy: the session before 2026-12-02.
        let without = try Self.statements(out.appendingPathComponent("session-without-safety.sql"))
        #expect(without.count == 12 * Self.count)
        #expect(without.filter { $0 == "BEGIN" }.count == 4 * Self.count)
        #expect(without.filter { $0 == "ROLLBACK" }.count == Self.count)
    }
}
