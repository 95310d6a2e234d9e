import Foundation
@testable import RehearseCore

/// Suites for the `--changed-since` and `--shard` tests: a primary project read from real folders, and a chain
/// built by ``ChainBuilder`` the way a flat layout's source builds one.
enum NarrowingFixtures {
    /// `shop` on PostgreSQL: installs v1.0.0, v1.1.0 and v2.0.0; upgrades v1.0.0 -> v1.1.0 -> v2.0.0 -> v2.1.0
    /// (v2.1.0 has no install, so nothing compares with it) and v2.1.0 -> v2.2.0, which starts from the
    /// rehearsed upgrade into v2.1.0.
    static func primaryRepository() throws -> TemporaryRepository {
        let project = "projects/shop"
        var files = ["\(project)/project-config.yaml": "spec:\n  databases:\n    primary: {type: postgresql}\n"]
        for version in ["1.0.0", "1.1.0", "2.0.0"] {
            let folder = "\(project)/versions/v\(version)/new-install/postgresql"
            files["\(folder)/schema/V\(version).001__Tables.sql"] = "create table t (id int);"
            files["\(folder)/rollback/U\(version).001__Tables.sql"] = "drop table t;"
        }
        for (from, to) in [("1.0.0", "1.1.0"), ("1.1.0", "2.0.0"), ("2.0.0", "2.1.0"), ("2.1.0", "2.2.0")] {
            let folder = "\(project)/versions/v\(to)/upgrade/from-v\(from)/postgresql"
            files["\(folder)/schema-changes/V\(to).001__Change.sql"] = "alter table t add column c\(to.replacingOccurrences(of: ".", with: "")) int;"
            files["\(folder)/rollback/U\(to).001__Change.sql"] = "alter table t drop column c;"
        }
        files["\(project)/versions/v1.0.0/fixtures/postgresql/rows.sql"] = "insert into t values (1);"
        files["projects/other/project-config.yaml"] = "spec:\n  databases:\n    primary: {type: postgresql}\n"
        files["projects/other/versions/v1.0.0/new-install/postgresql/schema/V1.0.0.001__A.sql"] = "create table a (id int);"
        return try TemporaryRepository(files)
    }

    static func load(_ repository: TemporaryRepository) throws -> LoadedRepository {
        try MigrationSources.load(path: repository.path)
    }

    /// A chain of `count` migrations `V1__step` … in `root`, each with an undo file (nothing is read from disk).
    static func chain(_ count: Int, in root: URL = URL(fileURLWithPath: "/work/chain"), display: String = "chain") throws -> RehearsalSuite {
        let folder = RepositoryFolder(url: root, display: display)
        let migrations = (1...count).map { number in
            let forward = folder.child("V\(number)__step.sql")
            let undo = folder.child("U\(number)__step.sql")
            return ChainMigration(
                id: "V\(number)__step", version: "\(number)",
                forward: [ScriptFile(url: forward.url, displayPath: forward.display, role: .forward, phase: "forward", number: nil, summary: "step", execution: .transaction)],
                undo: [ScriptFile(url: undo.url, displayPath: undo.display, role: .undo, phase: "undo", number: nil, summary: "step", execution: .transaction)],
                location: forward.display, undoLocation: undo.display
            )
        }
        let suite = try ChainBuilder(layout: "flyway", folder: folder, config: nil).build(migrations).suites.first
        guard let suite else { throw InputError("no chain suite") }
        return suite
    }

    static func ids(_ suite: RehearsalSuite, rehearsed: Bool) -> [String] {
        suite.subjects.filter { $0.rehearsed == rehearsed }.map(\.id.description)
    }
}
