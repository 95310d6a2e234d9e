import Foundation
import RehearseCore
@testable import RehearseMongo
import Testing

/// The MongoDB parts of `sample-migrations/`, rehearsed on a disposable server.
@Suite(.enabled(if: MongoTestServer.shouldRun, MongoTestServer.skipReason))
struct MongoSampleTests {
    static let projects = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sample-migrations/projects")

    private func load(_ name: String) throws -> (Project, PreparedScripts) {
        let repository = try RepositoryLoader().load(path: Self.projects.appendingPathComponent(name).path)
        let project = try #require(repository.projects.first)
        var scripts = PreparedScripts()
        for file in project.versions.flatMap({ ($0.installs[.mongodb]?.allFiles ?? []) + $0.upgrades.flatMap(\.scripts.allFiles) }) {
            scripts.add(try MongoScriptParser().prepare(file))
        }
        return (project, scripts)
    }

    private func rehearse(_ name: String) async throws -> SuiteReport {
        let repository = try MigrationSources.load(path: Self.projects.appendingPathComponent(name).path)
        let suite = try #require(repository.suites.first { $0.database == .mongodb })
        var scripts = PreparedScripts()
        try InputErrors.throwIfAny(scripts.prepare(suite, with: MongoScriptParser()))
        let options = RehearsalOptions(jobs: 2)
        let engine = try MongoEngine.disposable()
        defer { engine.shutdown() }
        return await SuiteRehearsal(
            plan: RehearsalPlan.plan(suite, scripts: scripts, options: options), engine: engine, scripts: scripts,
            options: options, progress: { _ in }
        ).run()
    }

    @Test func eCommercePassesEveryMongoDBCheck() async throws {
        let report = try await rehearse("e-commerce")
        let failures = report.results.filter(\.isFailure)
        #expect(failures.isEmpty, "\(failures.map { "\($0.name): \($0.outcome)" }.joined(separator: "\n"))")
        // Three installs and two upgrades, each with every check; only `backup` may be skipped (no mongodump here).
        let expectedCount = 1 + 3 * 6 + 2 * 9
        #expect(report.results.count == expectedCount)
        for result in report.results where result.isSkipped {
            #expect(result.check == .backup, "\(result.name) was skipped: \(result.outcome)")
        }
        let product = report.server?.product ?? "none"
        #expect(["mongod", "nx-27017"].contains(product))
    }

    @Test func theBrokenProjectFailsReversibilityNamingTheIndex() async throws {
        let report = try await rehearse("broken-mongo-rollback-keeps-index")
        let failures = report.results.filter(\.isFailure)
        #expect(failures.map(\.name) == ["upgrade v1.0.0 -> v1.1.0: reversibility"])
        if case let .failed(failure)? = failures.first?.outcome, case let (message, details) = (failure.message, failure.details) {
            #expect(message.contains("index orders.idx_orders_placedAt"))
            #expect(details.contains("+ index orders.idx_orders_placedAt { placedAt: 1 }"))
        }
    }

    @Test func forwardThenRollbackLeavesTheIndexBehind() throws {
        let (project, scripts) = try load("broken-mongo-rollback-keeps-index")
        let upgrade = try #require(project.version(SemanticVersion("v1.1.0")!)?.upgrade(from: SemanticVersion("v1.0.0")!, database: .mongodb))
        let install = try #require(project.version(SemanticVersion("v1.0.0")!)?.installs[.mongodb])
        try MongoTestServer.withEngine { engine in
            let database = try engine.createMongoDatabase(label: "broken_rollback")
            defer { database.drop() }
            for file in install.forward { try database.apply(scripts[file]) }
            let before = try database.snapshot()
            for file in upgrade.scripts.forward { try database.apply(scripts[file]) }
            for file in upgrade.scripts.undo { try database.apply(scripts[file]) }
            let diff = SnapshotDiff(from: before, to: try database.snapshot())
            #expect(diff.lines == ["+ index orders.idx_orders_placedAt { placedAt: 1 }"])
        }
    }
}
