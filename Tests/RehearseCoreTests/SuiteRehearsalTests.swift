import Foundation
import Testing
@testable import RehearseCore

/// The orchestration, on an in-memory engine: which checks run, pass, fail or are skipped, and that every
/// scratch database is dropped.
@Suite struct SuiteRehearsalTests {
    static let config = """
    spec:
      databases:
        primary: {type: postgresql}
      migration:
        policies: {require_rollback: true, require_validation: true, backup_before_upgrade: true}
      compatibility_matrix:
        v1.0.0: {upgrades_to: [v1.1.0]}
        v1.1.0: {upgrades_to: [], rollback_to: [v1.0.0]}
    """

    /// A project that passes every check; `changes` overrides or removes (empty string) files.
    static func project(_ changes: [String: String?] = [:]) throws -> TemporaryRepository {
        let v1 = "projects/shop/versions/v1.0.0/new-install/postgresql"
        let v11 = "projects/shop/versions/v1.1.0/new-install/postgresql"
        let up = "projects/shop/versions/v1.1.0/upgrade/from-v1.0.0/postgresql"
        var files: [String: String] = [
            "projects/shop/project-config.yaml": config,
            "\(v1)/schema/V1.0.0.001__Customers.sql": "create table customers\ncreate column customers.code text",
            "\(v1)/validate/customers.sql": "assert table customers",
            "\(v1)/rollback/U1.0.0.001__Customers.sql": "drop column customers.code\ndrop table customers",
            "projects/shop/versions/v1.0.0/fixtures/postgresql/customers.sql": "insert customers 1 A-1\ninsert customers 2 B-2",
            "\(v11)/schema/V1.1.0.001__Customers.sql": "create table customers\ncreate column customers.code text",
            "\(v11)/schema/V1.1.0.002__Orders.sql": "create table orders\ncreate index idx_orders_status on orders",
            "\(v11)/validate/orders.sql": "assert table orders",
            "\(v11)/rollback/U1.1.0.001__Customers.sql": "drop column customers.code\ndrop table customers",
            "\(v11)/rollback/U1.1.0.002__Orders.sql": "drop index idx_orders_status\ndrop table orders",
            "\(up)/schema-changes/V1.1.0.010__Orders.sql": "create table orders\ncreate index idx_orders_status on orders",
            "\(up)/validate/orders.sql": "assert table orders",
            "\(up)/rollback/U1.1.0.010__Orders.sql": "drop index idx_orders_status\ndrop table orders",
        ]
        for (path, contents) in changes {
            let full = path.hasPrefix("projects/") ? path : "projects/shop/" + path
            files[full] = contents
        }
        return try TemporaryRepository(files)
    }

    static func rehearse(_ repo: TemporaryRepository, engine: FakeEngine = FakeEngine()) async throws -> SuiteReport {
        let (plan, scripts) = try planned(repo)
        let report = await SuiteRehearsal(
            plan: plan, engine: engine, scripts: scripts, options: RehearsalOptions(jobs: 2), progress: { _ in }
        ).run()
        #expect(engine.liveDatabases.isEmpty, "scratch databases left behind: \(engine.liveDatabases)")
        return report
    }

    /// The repository's PostgreSQL suite, read by the primary layout's source and planned.
    static func planned(_ repo: TemporaryRepository) throws -> (PlannedSuite, PreparedScripts) {
        let repository = try MigrationSources.load(path: repo.path)
        let suite = try #require(repository.suites.first { $0.database == .postgresql })
        var scripts = PreparedScripts()
        try InputErrors.throwIfAny(scripts.prepare(suite, with: FakeParser()))
        return (RehearsalPlan.plan(suite, scripts: scripts, options: RehearsalOptions(jobs: 2)), scripts)
    }

    static func failed(_ report: SuiteReport) -> [String] {
        report.results.filter(\.isFailure).map(\.name)
    }

    @Test func aGoodProjectPassesEveryCheck() async throws {
        let repo = try Self.project()
        defer { repo.remove() }
        let report = try await Self.rehearse(repo)
        #expect(Self.failed(report) == [])
        #expect(report.skipped == 0, "\(report.results.filter(\.isSkipped).map(\.name))")
        #expect(report.results.map(\.name).contains("upgrade v1.0.0 -> v1.1.0: data-preservation"))
        #expect(report.results.map(\.name).contains("upgrade v1.0.0 -> v1.1.0: backup"))
        #expect(report.results.first?.name == "project: policy")
    }

    @Test func aFailingForwardSkipsTheRestOfItsSubject() async throws {
        let repo = try Self.project(["versions/v1.1.0/upgrade/from-v1.0.0/postgresql/schema-changes/V1.1.0.010__Orders.sql": "create table orders\nfail boom"])
        defer { repo.remove() }
        let report = try await Self.rehearse(repo)
        #expect(Self.failed(report) == ["upgrade v1.0.0 -> v1.1.0: forward"])
        let forward = report.results.first { $0.name == "upgrade v1.0.0 -> v1.1.0: forward" }
        guard case let .failed(failure) = forward?.outcome, case let (message, _) = (failure.message, failure.details) else { Issue.record("forward did not fail"); return }
        #expect(message.contains("V1.1.0.010__Orders.sql:2:1"))
        #expect(message.contains("FAKE: boom"))
        let skipped = report.results.filter { $0.subject == .upgrade(from: SemanticVersion("v1.0.0")!, to: SemanticVersion("v1.1.0")!) && $0.isSkipped }
        #expect(skipped.count == 9)
        #expect(skipped.allSatisfy { $0.outcome == .skipped(reason: "forward failed") })
    }

    @Test func aSecondRunThatFailsBreaksIdempotenceOnly() async throws {
        let repo = try Self.project(["versions/v1.1.0/upgrade/from-v1.0.0/postgresql/schema-changes/V1.1.0.010__Orders.sql": "create table orders\ncreate! index idx_orders_status on orders"])
        defer { repo.remove() }
        let report = try await Self.rehearse(repo)
        #expect(Self.failed(report) == ["upgrade v1.0.0 -> v1.1.0: idempotence"])
    }

    @Test func aSecondRunThatChangesDataBreaksIdempotence() async throws {
        let repo = try Self.project(["versions/v1.0.0/new-install/postgresql/schema/V1.0.0.001__Customers.sql": "create table customers\ncreate column customers.code text\ninsert customers 1 seeded\ndelete customers 1\ninsert customers 9 x"])
        defer { repo.remove() }
        let report = try await Self.rehearse(repo)
        #expect(Self.failed(report).isEmpty, "an upsert is idempotent")
    }

    @Test func aRollbackThatForgetsAnIndexBreaksReversibilityNamingIt() async throws {
        let repo = try Self.project(["versions/v1.1.0/upgrade/from-v1.0.0/postgresql/rollback/U1.1.0.010__Orders.sql": "drop table orders"])
        defer { repo.remove() }
        let report = try await Self.rehearse(repo)
        #expect(Self.failed(report) == ["upgrade v1.0.0 -> v1.1.0: reversibility"])
        let result = report.results.first { $0.name == "upgrade v1.0.0 -> v1.1.0: reversibility" }
        guard case let .failed(failure) = result?.outcome, case let (message, details) = (failure.message, failure.details) else { return }
        #expect(message.contains("idx_orders_status"))
        #expect(details.contains("+ index idx_orders_status"))
    }

    @Test func anInstallThatDriftsFromTheUpgradeBreaksEquivalence() async throws {
        let repo = try Self.project([
            "versions/v1.1.0/new-install/postgresql/schema/V1.1.0.002__Orders.sql": "create table orders",
            "versions/v1.1.0/new-install/postgresql/rollback/U1.1.0.002__Orders.sql": "drop table orders",
        ])
        defer { repo.remove() }
        let report = try await Self.rehearse(repo)
        #expect(Self.failed(report) == ["upgrade v1.0.0 -> v1.1.0: equivalence"])
    }

    @Test func aRollbackThatLosesRowsBreaksDataPreservation() async throws {
        let up = "versions/v1.1.0/upgrade/from-v1.0.0/postgresql"
        let repo = try Self.project([
            "\(up)/schema-changes/V1.1.0.010__Orders.sql": "create table orders\ncreate index idx_orders_status on orders\ndelete customers 2",
        ])
        defer { repo.remove() }
        let report = try await Self.rehearse(repo)
        #expect(Self.failed(report) == ["upgrade v1.0.0 -> v1.1.0: data-preservation"])
        let result = report.results.first { $0.check == .dataPreservation }
        guard case let .failed(failure) = result?.outcome, case let (message, _) = (failure.message, failure.details) else { return }
        #expect(message.contains("customers id=2: row missing"))
    }

    @Test func aMissingRollbackFolderFailsPolicyAndSkipsRollbackChecks() async throws {
        let repo = try Self.project(["versions/v1.1.0/upgrade/from-v1.0.0/postgresql/rollback/U1.1.0.010__Orders.sql": nil])
        defer { repo.remove() }
        let report = try await Self.rehearse(repo)
        #expect(Self.failed(report) == ["project: policy"])
        let policy = report.results[0]
        guard case let .failed(failure) = policy.outcome, case let (_, details) = (failure.message, failure.details) else { return }
        #expect(details.contains("rollback/ is missing (require_rollback)"))
        #expect(details.contains("rollback v1.1.0 -> v1.0.0"))
        let skipped = report.results.filter(\.isSkipped).map(\.name)
        #expect(skipped.contains("upgrade v1.0.0 -> v1.1.0: rollback"))
        #expect(skipped.contains("upgrade v1.0.0 -> v1.1.0: data-preservation"))
    }

    @Test func aValidatorThatDoesNotHoldFailsValidate() async throws {
        let repo = try Self.project(["versions/v1.0.0/new-install/postgresql/validate/customers.sql": "assert table invoices"])
        defer { repo.remove() }
        let report = try await Self.rehearse(repo)
        #expect(Self.failed(report) == ["install v1.0.0: validate"])
    }

    @Test func aFailingRollbackSkipsTheChecksThatNeedIt() async throws {
        let repo = try Self.project(["versions/v1.1.0/upgrade/from-v1.0.0/postgresql/rollback/U1.1.0.010__Orders.sql": "fail cannot drop"])
        defer { repo.remove() }
        let report = try await Self.rehearse(repo)
        #expect(Self.failed(report) == ["upgrade v1.0.0 -> v1.1.0: rollback"])
        let skipped = report.results.filter(\.isSkipped)
        #expect(skipped.map(\.name) == [
            "upgrade v1.0.0 -> v1.1.0: reversibility", "upgrade v1.0.0 -> v1.1.0: reapply", "upgrade v1.0.0 -> v1.1.0: data-preservation",
        ])
        #expect(skipped.allSatisfy { $0.outcome == .skipped(reason: "rollback failed") })
    }

    @Test func withoutAServerThePolicyCheckStillRuns() throws {
        let repo = try Self.project(["versions/v1.1.0/upgrade/from-v1.0.0/postgresql/rollback/U1.1.0.010__Orders.sql": nil])
        defer { repo.remove() }
        let (plan, _) = try Self.planned(repo)
        let report = SuiteRehearsal.skippedReport(plan: plan, reason: "no server", progress: { _ in })
        #expect(Self.failed(report) == ["project: policy"])
        #expect(report.results.dropFirst().allSatisfy { $0.outcome == .skipped(reason: "no server") })
        #expect(report.results.count == 1 + 2 * 6 + 10) // policy, two installs, the upgrade with backup and safety
    }

    @Test func anUpgradeFolderOutsideTheMatrixIsAViolationAndNotRehearsed() async throws {
        let repo = try Self.project([
            "project-config.yaml": Self.config.replacingOccurrences(of: "v1.0.0: {upgrades_to: [v1.1.0]}", with: "v1.0.0: {upgrades_to: []}")
                .replacingOccurrences(of: "rollback_to: [v1.0.0]", with: "rollback_to: []"),
        ])
        defer { repo.remove() }
        let report = try await Self.rehearse(repo)
        #expect(Self.failed(report) == ["project: policy"])
        #expect(!report.results.contains { if case .upgrade = $0.subject { true } else { false } })
        guard case let .failed(failure) = report.results[0].outcome, case let (message, _) = (failure.message, failure.details) else { return }
        #expect(message.contains("compatibility_matrix does not list v1.1.0 in v1.0.0.upgrades_to"))
    }
}
