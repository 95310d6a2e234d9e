import Foundation
import Testing
import RehearseKit

/// The bundled samples, rehearsed on a real disposable PostgreSQL cluster that the code under test starts:
/// the good project passes every check, and each deliberately broken project fails exactly its check.
@Suite(.serialized) struct SampleMigrationsTests {
    static let samples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sample-migrations").path

    static func rehearse(_ project: String, database: DatabaseKind = .postgresql) async throws -> SuiteReport {
        let request = RehearsalRequest(path: samples, projects: [project], databases: [database], options: RehearsalOptions(jobs: 2))
        let report = try await Rehearsal(request).run()
        return try #require(report.suites.first)
    }

    static func failures(_ suite: SuiteReport) -> [String] {
        suite.results.filter(\.isFailure).map(\.name)
    }

    static func failure(_ suite: SuiteReport, _ name: String) -> (message: String, details: String)? {
        guard let failure = suite.results.first(where: { $0.name == name })?.failure else { return nil }
        let (message, details) = (failure.message, failure.details)
        return (message, details)
    }

    @Test func eCommercePassesEveryCheck() async throws {
        let suite = try await Self.rehearse("e-commerce")
        #expect(Self.failures(suite) == [], "\(suite.results.filter(\.isFailure).map { "\($0.name): \($0.outcome)" })")
        #expect(suite.skipped == 0, "\(suite.results.filter(\.isSkipped).map { "\($0.name): \($0.outcome)" })")
        let checks = Set(suite.results.map(\.check))
        #expect(checks == Set(Check.allCases))
        let expected: Int = 1 + 3 * 6 + 2 * 10 // policy, three installs, two upgrades with backup and safety
        #expect(suite.results.count == expected)
    }

    @Test func concurrentIndexInsideATransactionFailsForward() async throws {
        let suite = try await Self.rehearse("broken-concurrent-index-in-transaction")
        #expect(Self.failures(suite) == ["install v1.0.0: forward"])
        let failure = try #require(Self.failure(suite, "install v1.0.0: forward"))
        #expect(failure.message.contains("SQLSTATE 25001"))
        #expect(failure.message.contains(".sql:"))
    }

    @Test func columnWithoutIfNotExistsFailsIdempotence() async throws {
        let suite = try await Self.rehearse("broken-column-without-if-not-exists")
        #expect(Self.failures(suite) == ["upgrade v1.0.0 -> v1.1.0: idempotence"])
        let failure = try #require(Self.failure(suite, "upgrade v1.0.0 -> v1.1.0: idempotence"))
        #expect(failure.message.contains("SQLSTATE 42701"))
        #expect(failure.message.contains("V1.1.0."))
    }

    @Test func rollbackThatForgetsAnIndexFailsReversibility() async throws {
        let suite = try await Self.rehearse("broken-rollback-forgets-index")
        #expect(Self.failures(suite) == ["upgrade v1.0.0 -> v1.1.0: reversibility"])
        let failure = try #require(Self.failure(suite, "upgrade v1.0.0 -> v1.1.0: reversibility"))
        #expect(failure.message.contains("idx_orders_placed_at"))
        #expect(failure.details.contains("+ index public.idx_orders_placed_at"))
    }

    @Test func impossibleValidatorFailsValidate() async throws {
        let suite = try await Self.rehearse("broken-impossible-validator")
        #expect(Self.failures(suite) == ["install v1.0.0: validate"])
        let failure = try #require(Self.failure(suite, "install v1.0.0: validate"))
        #expect(failure.message.contains("01_order_statuses.sql:"))
        #expect(failure.message.contains("expected one row with one column true, got false"))
    }

    @Test func installThatDriftsFromTheUpgradeFailsEquivalence() async throws {
        let suite = try await Self.rehearse("broken-install-drift")
        #expect(Self.failures(suite) == ["upgrade v1.0.0 -> v1.1.0: equivalence"])
        let failure = try #require(Self.failure(suite, "upgrade v1.0.0 -> v1.1.0: equivalence"))
        #expect(failure.details.contains("~ column public.customers.display_name: character varying(100) -> character varying(255)"))
    }

    @Test func rollbackThatLosesDataFailsDataPreservation() async throws {
        let suite = try await Self.rehearse("broken-rollback-loses-data")
        #expect(Self.failures(suite) == ["upgrade v1.0.0 -> v1.1.0: data-preservation"])
        let failure = try #require(Self.failure(suite, "upgrade v1.0.0 -> v1.1.0: data-preservation"))
        #expect(failure.message.contains("public.customers"))
        #expect(failure.details.contains("customers id=2: legacy_code 'B-2' -> NULL"))
    }

    @Test func missingRollbackFailsPolicy() async throws {
        let suite = try await Self.rehearse("broken-missing-rollback")
        #expect(Self.failures(suite) == ["project: policy"])
        let failure = try #require(Self.failure(suite, "project: policy"))
        #expect(failure.details.contains("versions/v1.1.0/upgrade/from-v1.0.0/postgresql/rollback/ is missing (require_rollback)"))
    }

    @Test func eCommerceOnMongoDBPassesEveryCheckTheServerSupports() async throws {
        let suite = try await Self.rehearse("e-commerce", database: .mongodb)
        #expect(suite.server != nil)
        #expect(Self.failures(suite) == [])
        let skipped = suite.results.filter(\.isSkipped)
        #expect(skipped.allSatisfy { $0.check == .backup }, "\(skipped.map(\.name))")
    }

    @Test func mongoRollbackThatKeepsAnIndexFailsReversibility() async throws {
        let suite = try await Self.rehearse("broken-mongo-rollback-keeps-index", database: .mongodb)
        #expect(Self.failures(suite) == ["upgrade v1.0.0 -> v1.1.0: reversibility"])
        let failure = try #require(Self.failure(suite, "upgrade v1.0.0 -> v1.1.0: reversibility"))
        #expect(failure.details.contains("+ index orders.idx_orders_placedAt"))
    }

    @Test func javaScriptECommercePassesEveryCheckOnMongoDB() async throws {
        let suite = try await Self.rehearse("e-commerce-js", database: .mongodb)
        #expect(Self.failures(suite) == [], "\(suite.results.filter(\.isFailure).map { "\($0.name): \($0.outcome)" })")
        #expect(suite.skipped == 0, "\(suite.results.filter(\.isSkipped).map(\.name))")
        #expect(suite.results.count == 21)
    }

    @Test func javaScriptDownThatKeepsAnIndexFailsReversibility() async throws {
        let suite = try await Self.rehearse("broken-js-down-keeps-index", database: .mongodb)
        #expect(Self.failures(suite) == ["upgrade v1.0.0 -> v1.1.0: reversibility"])
        let failure = try #require(Self.failure(suite, "upgrade v1.0.0 -> v1.1.0: reversibility"))
        #expect(failure.details.contains("+ index orders.idx_orders_placed_at"))
    }

    @Test func migrateMongoRepositoryRehearsesAsAChainOfItsFiles() async throws {
        let request = RehearsalRequest(path: Self.samples + "/layouts/migrate-mongo-catalog", options: RehearsalOptions(jobs: 2))
        let report = try await Rehearsal(request).run()
        let suite = try #require(report.suites.first)
        #expect(suite.name == "migrate-mongo-catalog/mongodb")
        #expect(Self.failures(suite) == [], "\(suite.results.filter(\.isFailure).map { "\($0.name): \($0.outcome)" })")
        let subjects = suite.results.map(\.subject.description).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        #expect(subjects == [
            "project", "migration 20240101120000-create-products", "migration 20240115090000-add-categories",
            "migration 20240201083000-add-category-slugs",
        ])
        // rehearse.yaml gives it a validator and loads products before it, so every check runs.
        let checks = suite.results.filter { $0.subject.description == "migration 20240115090000-add-categories" && !$0.isSkipped }.map(\.check)
        #expect(checks == [.forward, .validate, .idempotence, .rollback, .reversibility, .reapply, .dataPreservation])
    }
}

