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

    // MARK: - JavaScript (migrate-mongo) migrations

    @Test func theJavaScriptECommerceProjectPassesEveryCheck() async throws {
        let report = try await rehearse("e-commerce-js")
        let failures = report.results.filter(\.isFailure)
        #expect(failures.isEmpty, "\(failures.map { "\($0.name): \($0.outcome)" }.joined(separator: "\n"))")
        #expect(report.results.filter(\.isSkipped).isEmpty, "\(report.results.filter(\.isSkipped).map(\.name))")
        let expectedCount: Int = 1 + 2 * 6 + 8 // policy, two installs with six checks each, one upgrade with eight
        #expect(report.results.count == expectedCount)
        let upgrade = Set(report.results.filter { $0.subject == .upgrade(from: SemanticVersion("v1.0.0")!, to: SemanticVersion("v1.1.0")!) }.map(\.check))
        #expect(upgrade == [.forward, .validate, .idempotence, .rollback, .reversibility, .reapply, .dataPreservation, .equivalence])
        if report.server?.product == "nx-27017" {
            #expect(report.server?.limitations.contains { $0.contains("not atomic") && $0.contains("010-add-orders-collection.js") } == true)
        }
    }

    @Test func theJavaScriptDownThatKeepsAnIndexFailsReversibilityNamingIt() async throws {
        let report = try await rehearse("broken-js-down-keeps-index")
        let failures = report.results.filter(\.isFailure)
        #expect(failures.map(\.name) == ["upgrade v1.0.0 -> v1.1.0: reversibility"])
        if case let .failed(failure)? = failures.first?.outcome {
            #expect(failure.message.contains("index orders.idx_orders_placed_at"))
            #expect(failure.details.contains("+ index orders.idx_orders_placed_at"))
        }
        // reapply needs a clean rollback, so it is skipped; everything else passes.
        #expect(report.results.filter(\.isSkipped).map(\.name) == ["upgrade v1.0.0 -> v1.1.0: reapply"])
    }

    /// The migrate-mongo chain, walked on one database as the chain runner will: each step forward, then its
    /// `down` back to the step before, then forward again.
    @Test func theMigrateMongoChainWalksForwardAndBack() throws {
        let sample = Self.projects.deletingLastPathComponent().appendingPathComponent("layouts/migrate-mongo-catalog")
        let loaded = try MigrationSources.load(path: sample.path)
        let suite = try #require(loaded.suites.first)
        let parser = MongoScriptParser()
        try MongoTestServer.withEngine { engine in
            engine.bookkeepingCollections = Set(suite.bookkeepingCollections)
            let database = try engine.createMongoDatabase(label: "migrate_mongo")
            defer { database.drop() }
            for subject in suite.subjects {
                let before = try database.snapshot()
                let rowsBefore = try database.fingerprint()
                for file in subject.forward { try database.apply(parser.prepare(file)) }
                let after = try database.snapshot()
                let changedRows = !DataDiff(from: rowsBefore, to: try database.fingerprint()).isEmpty
                #expect(after != before || changedRows, "\(subject.id) changes the schema or the data")
                for file in subject.forward { try database.apply(parser.prepare(file)) }
                #expect(SnapshotDiff(from: after, to: try database.snapshot()).isEmpty, "\(subject.id) is idempotent")
                for file in subject.undoFiles { try database.apply(parser.prepare(file)) }
                #expect(SnapshotDiff(from: before, to: try database.snapshot()).isEmpty, "\(subject.id): down undoes up")
                #expect(DataDiff(from: rowsBefore, to: try database.fingerprint(), includeNewTables: false).isEmpty, "\(subject.id) keeps the rows")
                for file in subject.forward { try database.apply(parser.prepare(file)) }
            }
            // The changelog is bookkeeping: a clone copies it, snapshots and fingerprints leave it out.
            _ = try database.client.runCommand(database: database.name, commandJSON: #"{"insert": "changelog", "documents": [{"fileName": "x.js"}]}"#)
            #expect(try database.snapshot().objects.contains { $0.name == "changelog" } == false)
            #expect(try database.fingerprint().tables["changelog"] == nil)
            let copy = try database.cloneDatabase(label: "migrate_mongo_copy")
            defer { copy.drop() }
            #expect(try copy.documents("changelog").count == 1)
            #expect(try database.fingerprint().tables["categories"]?.rows.count == 3)
        }
    }
}

