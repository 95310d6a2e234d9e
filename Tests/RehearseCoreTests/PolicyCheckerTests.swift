import Testing
@testable import RehearseCore

@Suite struct PolicyCheckerTests {
    @Test func missingUndoFileAndValidatorAndPathAreNamed() throws {
        let repo = try SuiteRehearsalTests.project([
            "versions/v1.1.0/new-install/postgresql/rollback/U1.1.0.002__Orders.sql": nil,
            "versions/v1.1.0/new-install/postgresql/validate/orders.sql": nil,
            "project-config.yaml": SuiteRehearsalTests.config.replacingOccurrences(of: "v1.0.0: {upgrades_to: [v1.1.0]}", with: "v1.0.0: {upgrades_to: [v1.1.0]}\n    v0.0.1: {upgrades_to: [v1.0.0]}"),
            "versions/v0.0.1/new-install/postgresql/schema/V0.0.1.001__A.sql": "create table a",
            "versions/v0.0.1/new-install/postgresql/rollback/U0.0.1.001__A.sql": "drop table a",
            "versions/v0.0.1/new-install/postgresql/validate/a.sql": "assert table a",
        ])
        defer { repo.remove() }
        let project = try RepositoryLoader().load(path: repo.path).projects[0]
        let violations = PolicyChecker(project: project, database: .postgresql).violations()
        #expect(violations.contains { $0.contains("V1.1.0.002__Orders.sql has no undo file with number 1.1.0.002 (require_rollback)") })
        #expect(violations.contains { $0.hasPrefix("install v1.1.0:") && $0.contains("validate/ has no validator (require_validation)") })
        #expect(violations.contains { $0.hasPrefix("upgrade v0.0.1 -> v1.0.0") && $0.contains("(missing path)") })
        #expect(violations.count == 3)
    }

    @Test func preUpgradeGuardsNeedNoUndo() throws {
        let repo = try SuiteRehearsalTests.project([
            "versions/v1.1.0/upgrade/from-v1.0.0/postgresql/pre-upgrade/V1.1.0.001__Guard.sql": "assert table customers",
        ])
        defer { repo.remove() }
        let project = try RepositoryLoader().load(path: repo.path).projects[0]
        #expect(PolicyChecker(project: project, database: .postgresql).violations() == [])
    }
}
