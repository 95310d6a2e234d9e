import Foundation
import Testing
import RehearseKit

/// DESIGN.md: a verdict never depends on how it was computed. Every bundled sample on PostgreSQL is rehearsed with
/// the fast path (one transaction per subject, savepoints for the branches) and with it turned off (copies for
/// every check), and the two reports must agree check by check: outcome, message, file, line, details, notes.
@Suite struct FastPathEquivalenceTests {
    static let samples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sample-migrations")

    /// `projects/<name>` for each project of the multi-project layout, and each folder of `layouts/` with SQL.
    static let cases: [String] = {
        let manager = FileManager.default
        let projects = (try? manager.contentsOfDirectory(atPath: samples.appendingPathComponent("projects").path)) ?? []
        let layouts = (try? manager.contentsOfDirectory(atPath: samples.appendingPathComponent("layouts").path)) ?? []
        let relational = projects.sorted().filter { project in
            let config = samples.appendingPathComponent("projects/\(project)/project-config.yaml")
            return ((try? String(contentsOf: config, encoding: .utf8)) ?? "").contains("postgresql")
        }
        return relational.map { "projects/" + $0 } + layouts.sorted().filter { !$0.contains(".") && !$0.contains("mongo") }.map { "layouts/" + $0 }
    }()

    static func rehearse(_ sample: String, fastPath: Bool) async throws -> SuiteReport? {
        let options = RehearsalOptions(jobs: 2, transactionalSteps: fastPath)
        let request: RehearsalRequest
        if sample.hasPrefix("projects/") {
            request = RehearsalRequest(
                path: samples.path, projects: [String(sample.dropFirst("projects/".count))], databases: [.postgresql], options: options
            )
        } else {
            request = RehearsalRequest(path: samples.appendingPathComponent(sample).path, databases: [.postgresql], options: options)
        }
        return try await Rehearsal(request).run().suites.first { $0.database == .postgresql }
    }

    /// A result without its timing, for comparing.
    static func comparable(_ result: CheckResult) -> CheckResult {
        CheckResult(subject: result.subject, check: result.check, outcome: result.outcome, notes: result.notes)
    }

    @Test func everySampleIsCovered() {
        #expect(Self.cases.count >= 18, "\(Self.cases)")
        #expect(Self.cases.contains("projects/e-commerce") && Self.cases.contains("layouts/sqitch-library"))
    }

    @Test(arguments: cases) func theFastPathGivesTheVerdictsOfCopies(_ sample: String) async throws {
        async let fast = Self.rehearse(sample, fastPath: true)
        async let plain = Self.rehearse(sample, fastPath: false)
        let (fastReport, plainReport) = try await (fast, plain)
        let fastSuite = try #require(fastReport)
        let plainSuite = try #require(plainReport)
        #expect(!fastSuite.results.isEmpty)
        #expect(plainSuite.paths.inOneTransaction == 0 && plainSuite.paths.rerunOnCopies == 0)
        let fastResults = fastSuite.results.map(Self.comparable)
        let plainResults = plainSuite.results.map(Self.comparable)
        #expect(fastResults.count == plainResults.count)
        for (one, other) in zip(fastResults, plainResults) where one != other {
            Issue.record("\(sample): \(one.name) differs:\nfast:  \(one.outcome)\nplain: \(other.outcome)")
        }
    }

    /// The fast path must actually run where nothing rules it out, or the comparison above proves nothing.
    @Test func theFastPathRunsOnTheSamplesThatAllowIt() async throws {
        let library = try #require(try await Self.rehearse("layouts/sqitch-library", fastPath: true))
        #expect(library.paths.onCopies == 0)
        #expect(library.paths.inOneTransaction > 0 && library.paths.rerunOnCopies == 0)
        let shop = try #require(try await Self.rehearse("projects/e-commerce", fastPath: true))
        // Its upgrades build indexes CONCURRENTLY in psql-mode files: their plain forms run inside the step.
        #expect(shop.paths.inOneTransaction > 0)
        #expect(shop.paths.onCopies == 0 && shop.paths.rerunOnCopies == 0)
        let broken = try #require(try await Self.rehearse("projects/broken-rollback-forgets-index", fastPath: true))
        #expect(broken.paths.rerunOnCopies == 1)
    }
}
