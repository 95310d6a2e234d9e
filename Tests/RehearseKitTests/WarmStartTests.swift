import Foundation
import Testing
import RehearseKit

/// The warm start: servers start while the scripts are parsed, suites run side by side under `--jobs`, and a
/// rerun copies the cached cluster; none of it changes a report or an error.
@Suite struct WarmStartTests {
    static let samples = SampleMigrationsTests.samples

    /// The report with what may differ between equal runs taken out: durations, start times and the random
    /// suffixes of scratch database names.
    static func comparable(_ report: RunReport) throws -> String {
        let suites = report.suites.map { suite in
            SuiteReport(
                project: suite.project, database: suite.database, server: suite.server,
                results: suite.results.map { CheckResult(subject: $0.subject, check: $0.check, outcome: $0.outcome, notes: $0.notes) },
                duration: 0
            )
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let text = String(decoding: try encoder.encode(suites), as: UTF8.self)
        return text.replacingOccurrences(of: #"rehearse_[a-z0-9_]*_[0-9a-f]{8}"#, with: "rehearse_…", options: .regularExpression)
    }

    @Test func suitesSideBySideReportWhatOneAfterAnotherReports() async throws {
        func run(jobs: Int) async throws -> RunReport {
            try await Rehearsal.rehearse(RehearsalRequest(path: Self.samples, options: RehearsalOptions(jobs: jobs)))
        }
        let serial = try await run(jobs: 1)
        let parallel = try await run(jobs: 4)
        #expect(serial.suites.count > 5)
        #expect(Set(serial.suites.map(\.database)) == [.postgresql, .mongodb])
        #expect(serial.failures > 0, "the broken samples fail in both")
        let planned = try Rehearsal(RehearsalRequest(path: Self.samples)).suites.map(\.name)
        #expect(parallel.suites.map(\.name) == planned, "plan order")
        let (left, right) = (try Self.comparable(serial), try Self.comparable(parallel))
        let firstDifference = zip(left.split(separator: "\n"), right.split(separator: "\n")).first { $0 != $1 }
        #expect(left == right, "\(String(describing: firstDifference))")
    }

    @Test func anInputErrorIsReportedAsBeforeAndTheServerStartedMeanwhileStops() async throws {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("rehearse-warm-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let project = root.appendingPathComponent("projects/shop")
        try FileManager.default.createDirectory(at: project.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.samples + "/projects/broken-missing-rollback", toPath: project.path)
        let script = project.appendingPathComponent("versions/v1.0.0/new-install/postgresql/schema/V1.0.0.001__Create_customers.sql")
        // Not UTF-8: an input error found while parsing, after the layout has said the suite is on PostgreSQL.
        try Data([0x53, 0x45, 0x4C, 0xFF, 0x0A]).write(to: script)
        let request = RehearsalRequest(path: root.path)
        let planned = #expect(throws: (any Error).self) { try Rehearsal(request) }
        let before = Self.ownClusterDirectories()
        let warm = await #expect(throws: (any Error).self) { try await Rehearsal.rehearse(request) }
        #expect("\(String(describing: warm))" == "\(String(describing: planned))")
        #expect(warm is InputError || warm is InputErrors, "\(String(describing: warm))")
        #expect(Self.ownClusterDirectories().subtracting(before).isEmpty, "the server started meanwhile is gone")
    }

    @Test(.disabled(if: ProcessInfo.processInfo.environment["REHEARSE_NO_CLUSTER_CACHE"].map { !$0.isEmpty && $0 != "0" } ?? false))
    func aRerunCopiesTheCachedCluster() async throws {
        let request = RehearsalRequest(path: Self.samples, projects: ["broken-missing-rollback"], databases: [.postgresql])
        let lines = LineCollector()
        for _ in 0..<2 {
            lines.removeAll()
            _ = try await Rehearsal.rehearse(request, notice: lines.append)
        }
        let ready = try #require(lines.all.first { $0.hasPrefix("PostgreSQL server ready") }, "\(lines.all)")
        #expect(ready.hasSuffix(", cached cluster)"), "\(ready)")
        #expect(ready.contains(" s after start (started in "), "\(ready)")
    }

    /// The `rehearse-pg-…` directories this process owns now.
    static func ownClusterDirectories() -> Set<String> {
        let tmp = NSTemporaryDirectory()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? []
        return Set(names.filter { name in
            guard name.hasPrefix("rehearse-pg-"),
                  let owner = try? String(contentsOfFile: tmp + "/" + name + "/.rehearse-owner", encoding: .utf8) else { return false }
            return owner.hasPrefix("\(ProcessInfo.processInfo.processIdentifier) ")
        })
    }
}

/// Lines handed over from other threads.
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) {
        lock.withLock { lines.append(line) }
    }

    func removeAll() {
        lock.withLock { lines.removeAll() }
    }

    var all: [String] {
        lock.withLock { lines }
    }
}
