import Foundation
import Testing
@testable import RehearseCore

@Suite struct RepositoryLoaderTests {
    static let config = """
    metadata: {name: shop}
    spec:
      databases:
        primary: {type: postgresql}
    """

    @Test func loadsPhasesInOrderAndUndoDescending() throws {
        let repo = try TemporaryRepository([
            "projects/shop/project-config.yaml": Self.config,
            "projects/shop/versions/v1.0.0/new-install/postgresql/indexes/V1.0.0.200__Index.sql": "",
            "projects/shop/versions/v1.0.0/new-install/postgresql/schema/V1.0.0.002__Orders.sql": "",
            "projects/shop/versions/v1.0.0/new-install/postgresql/schema/V1.0.0.001__Customers.sql": "",
            "projects/shop/versions/v1.0.0/new-install/postgresql/data/V1.0.0.100__Seed.sql": "",
            "projects/shop/versions/v1.0.0/new-install/postgresql/rollback/U1.0.0.001__Customers.sql": "",
            "projects/shop/versions/v1.0.0/new-install/postgresql/rollback/U1.0.0.200__Index.sql": "",
            "projects/shop/versions/v1.0.0/new-install/postgresql/validate/b.sql": "",
            "projects/shop/versions/v1.0.0/new-install/postgresql/validate/a.sql": "",
            "projects/shop/versions/v1.0.0/new-install/postgresql/README.md": "notes",
            "projects/shop/versions/v1.0.0/fixtures/postgresql/customers.sql": "",
            "projects/shop/versions/v1.1.0/upgrade/from-v1.0.0/schema-changes/V1.1.0.010__Add.sql": "",
            "projects/shop/versions/v1.1.0/upgrade/from-v1.0.0/pre-upgrade/V1.1.0.001__Guard.sql": "",
        ])
        defer { repo.remove() }
        let loaded = try RepositoryLoader().load(path: repo.path)
        let project = try #require(loaded.projects.first)
        #expect(project.name == "shop")
        let install = try #require(project.versions[0].installs[.postgresql])
        #expect(install.forward.map(\.fileName) == [
            "V1.0.0.001__Customers.sql", "V1.0.0.002__Orders.sql", "V1.0.0.100__Seed.sql", "V1.0.0.200__Index.sql",
        ])
        #expect(install.undo.map(\.fileName) == ["U1.0.0.200__Index.sql", "U1.0.0.001__Customers.sql"])
        #expect(install.validators.map(\.fileName) == ["a.sql", "b.sql"])
        #expect(project.versions[0].fixtures[.postgresql]?.count == 1)
        // Single-database projects may put phase folders directly under from-<old>/.
        let upgrade = try #require(project.versions[1].upgrade(from: SemanticVersion("v1.0.0")!, database: .postgresql))
        #expect(upgrade.scripts.forward.map(\.phase) == ["pre-upgrade", "schema-changes"])
        #expect(upgrade.scripts.hasRollbackFolder == false)
        #expect(install.forward[0].displayPath.hasSuffix("projects/shop/versions/v1.0.0/new-install/postgresql/schema/V1.0.0.001__Customers.sql"))
    }

    @Test func acceptsAProjectFolderDirectly() throws {
        let repo = try TemporaryRepository([
            "project-config.yaml": Self.config,
            "versions/v1.0.0/new-install/postgresql/schema/V1.0.0.001__A.sql": "",
        ])
        defer { repo.remove() }
        let loaded = try RepositoryLoader().load(path: repo.path)
        #expect(loaded.projects.count == 1)
    }

    @Test func missingPathNamesIt() {
        let error = #expect(throws: InputError.self) { try RepositoryLoader().load(path: "/no/such/migrations") }
        #expect(error?.file == "/no/such/migrations")
    }

    @Test func unparsableFileNameNamesTheFileAndTheExpectedForm() throws {
        let repo = try TemporaryRepository([
            "projects/shop/project-config.yaml": Self.config,
            "projects/shop/versions/v1.0.0/new-install/postgresql/schema/001_create_orders.sql": "",
        ])
        defer { repo.remove() }
        let error = #expect(throws: InputError.self) { try RepositoryLoader().load(path: repo.path) }
        #expect(error?.file?.hasSuffix("schema/001_create_orders.sql") == true)
        #expect(error?.message.contains("V1.0.0.<NNN>__<Description>.sql") == true)
    }

    @Test(arguments: [
        ("projects/shop/versions/v1.0.0/new-install/postgresql/schema/V1.1.0.001__Wrong_version.sql", "sits in the v1.0.0 folder"),
        ("projects/shop/versions/v1.0.0/new-install/postgresql/rollback/V1.0.0.001__Forward_in_rollback.sql", "U prefix"),
        ("projects/shop/versions/v1.0.0/new-install/postgresql/schemas/V1.0.0.001__Typo.sql", "unexpected folder"),
        ("projects/shop/versions/v1.0.0/new_install/postgresql/schema/V1.0.0.001__Typo.sql", "unexpected folder"),
        ("projects/shop/versions/1.0.0/new-install/postgresql/schema/V1.0.0.001__A.sql", "not a version folder"),
        ("projects/shop/versions/v1.0.0/new-install/mongodb/migrations/001-a.json", "declares no mongodb database"),
        ("projects/shop/versions/v1.1.0/upgrade/from-v0.9.0/schema-changes/V1.1.0.001__A.sql", "no versions/v0.9.0/"),
    ])
    func layoutMistakesAreInputErrors(path: String, expected: String) throws {
        var files = ["projects/shop/project-config.yaml": Self.config, path: ""]
        if !path.contains("/v1.0.0/new-install/postgresql/schema/") {
            files["projects/shop/versions/v1.0.0/new-install/postgresql/schema/V1.0.0.001__Base.sql"] = ""
        }
        let repo = try TemporaryRepository(files)
        defer { repo.remove() }
        let error = #expect(throws: InputError.self) { try RepositoryLoader().load(path: repo.path) }
        #expect(error?.description.contains(expected) == true, "\(error?.description ?? "no error")")
    }

    @Test func javascriptMigrationsRunUpAndAreUndoneByTheirRollbackFileElseTheirOwnDown() throws {
        let repo = try TemporaryRepository([
            "projects/docs/project-config.yaml": "spec:\n  databases:\n    docs: {type: mongodb}\n",
            "projects/docs/versions/v1.0.0/new-install/mongodb/migrations/001-create-orders.js": "module.exports = {}",
            "projects/docs/versions/v1.0.0/new-install/mongodb/migrations/002-add-index.js": "module.exports = {}",
            "projects/docs/versions/v1.0.0/new-install/mongodb/migrations/003-create-audit.json": "[]",
            "projects/docs/versions/v1.0.0/new-install/mongodb/rollbacks/001-rollback-create-orders.js": "module.exports = {}",
            "projects/docs/versions/v1.0.0/new-install/mongodb/rollbacks/003-create-audit.json": "[]",
        ])
        defer { repo.remove() }
        let install = try #require(try RepositoryLoader().load(path: repo.path).projects.first?.versions.first?.installs[.mongodb])
        #expect(install.forward.map(\.fileName) == ["001-create-orders.js", "002-add-index.js", "003-create-audit.json"])
        #expect(install.forward.map(\.entry) == ["up", "up", nil])
        #expect(install.undo.map(\.fileName) == ["003-create-audit.json", "002-add-index.js", "001-rollback-create-orders.js"])
        #expect(install.undo.map(\.entry) == [nil, "down", "up"])
        #expect(install.undo.allSatisfy { $0.role == .undo })
        #expect(install.undo[1].displayPath == install.forward[1].displayPath, "002 has no rollback file: its own down undoes it")
    }

    @Test func javascriptValidatorsAreRejectedWithWhatToWriteInstead() throws {
        let repo = try TemporaryRepository([
            "projects/docs/project-config.yaml": "spec:\n  databases:\n    docs: {type: mongodb}\n",
            "projects/docs/versions/v1.0.0/new-install/mongodb/migrations/001-create-orders.js": "module.exports = {}",
            "projects/docs/versions/v1.0.0/new-install/mongodb/validate/001-check.js": "module.exports = {}",
        ])
        defer { repo.remove() }
        let error = #expect(throws: InputError.self) { try RepositoryLoader().load(path: repo.path) }
        #expect(error?.file?.hasSuffix("validate/001-check.js") == true)
        #expect(error?.message.contains("Extended JSON") == true)
    }

    @Test func matrixNamingAnUnknownVersionIsAnInputErrorWithTheLine() throws {
        let repo = try TemporaryRepository([
            "projects/shop/project-config.yaml": Self.config + "\n  compatibility_matrix:\n    v1.0.0:\n      upgrades_to: [v3.0.0]\n",
            "projects/shop/versions/v1.0.0/new-install/postgresql/schema/V1.0.0.001__A.sql": "",
        ])
        defer { repo.remove() }
        let error = #expect(throws: InputError.self) { try RepositoryLoader().load(path: repo.path) }
        #expect(error?.line == 6)
        #expect(error?.message.contains("v3.0.0") == true)
    }
}
