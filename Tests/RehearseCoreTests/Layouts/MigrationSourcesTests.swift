import Testing
@testable import RehearseCore

@Suite struct MigrationSourcesTests {
    static let examples: [(layout: String, files: [String: String])] = [
        ("flyway", ["V1__a.sql": "SELECT 1;"]),
        ("golang-migrate", ["1_a.up.sql": "SELECT 1;"]),
        ("diesel", ["2020-01-01-000000_a/up.sql": "SELECT 1;"]),
        ("dbmate", ["20240101000000_a.sql": "-- migrate:up\nSELECT 1;\n-- migrate:down\n"]),
        ("sqitch", ["sqitch.plan": "a 2024-01-01T10:00:00Z A <a@x>\n", "deploy/a.sql": "SELECT 1;"]),
        ("migrate-mongo", [
            "migrate-mongo-config.js": "module.exports = { migrationsDir: 'migrations' };\n",
            "migrations/20240101000000-a.js": "module.exports = { async up(db) {}, async down(db) {} };\n",
        ]),
    ]

    @Test func sourcesAreListedInDetectionOrder() {
        #expect(MigrationSources.all.map(\.name) == ["primary", "flyway", "golang-migrate", "diesel", "dbmate", "sqitch", "migrate-mongo"])
    }

    @Test(arguments: examples.indices) func detectsEachLayout(index: Int) throws {
        let example = Self.examples[index]
        let repo = try TemporaryRepository(example.files)
        defer { repo.remove() }
        let loaded = try MigrationSources.load(path: repo.path)
        #expect(loaded.layout == example.layout)
        #expect(loaded.suites.first?.layout == example.layout)
        #expect(loaded.suites.first?.subjects.count == 1)
        // Only its own layout claims the folder.
        let folder = RepositoryFolder(url: repo.root, display: repo.path)
        #expect(MigrationSources.all.filter { $0.matches(folder) }.map(\.name) == [example.layout])
    }

    @Test(arguments: examples.indices) func findsEachLayoutInAConventionalFolder(index: Int) throws {
        let example = Self.examples[index]
        var files: [String: String] = ["README.md": "# the app", "rehearse.yaml": "name: app\n"]
        for (path, contents) in example.files { files["db/migrations/" + path] = contents }
        let repo = try TemporaryRepository(files)
        defer { repo.remove() }
        let loaded = try MigrationSources.load(path: repo.path)
        #expect(loaded.layout == example.layout)
        #expect(loaded.displayPath == repo.path + "/db/migrations")
        #expect(loaded.suites.first?.name == "app")
        let file = try #require(loaded.suites.first?.subjects.first?.forward.first)
        #expect(file.displayPath.hasPrefix(repo.path + "/db/migrations/"))
    }

    @Test func aChainBelowPathIsNamedAfterPathAndReadsRehearseYamlPathsFromItsFolder() throws {
        let repo = try TemporaryRepository([
            "db/migrations/1_users.up.sql": "CREATE TABLE users (id int);",
            "db/fixtures/users.sql": "INSERT INTO users VALUES (1);",
            "rehearse.yaml": "fixtures:\n  - after: 1_users\n    files: [db/fixtures/users.sql]\n",
        ])
        defer { repo.remove() }
        let suite = try LayoutTesting.chain(repo)
        #expect(suite.name == repo.root.lastPathComponent)
        #expect(suite.step("1_users")?.loadAfter.map(\.displayPath) == [repo.path + "/db/fixtures/users.sql"])
    }

    @Test func theLayoutOptionOverridesDetection() throws {
        let repo = try TemporaryRepository([
            "V1__flyway.sql": "SELECT 1;",
            "1_golang.up.sql": "SELECT 1;",
        ])
        defer { repo.remove() }
        #expect(try MigrationSources.load(path: repo.path).layout == "flyway")
        let forced = try MigrationSources.load(path: repo.path, layout: "golang-migrate")
        #expect(forced.layout == "golang-migrate")
        #expect(forced.suites.first?.ids == ["1_golang"])
    }

    @Test func rehearseYamlCanNameTheLayout() throws {
        let repo = try TemporaryRepository([
            "V1__flyway.sql": "SELECT 1;",
            "1_golang.up.sql": "SELECT 1;",
            "rehearse.yaml": "layout: golang-migrate\n",
        ])
        defer { repo.remove() }
        #expect(try MigrationSources.load(path: repo.path).layout == "golang-migrate")
    }

    @Test func aPathMatchingNoLayoutListsThemAll() throws {
        let repo = try TemporaryRepository(["README.md": "nothing here", "notes/a.txt": "x"])
        defer { repo.remove() }
        let error = #expect(throws: InputError.self) { try MigrationSources.load(path: repo.path) }
        #expect(error?.file == repo.path)
        for layout in MigrationSources.all {
            #expect(error?.message.contains("  \(layout.name): \(layout.signature)") == true)
        }
        #expect(error?.message.contains("db/migrations/") == true)
    }

    @Test func anUnknownLayoutNameListsTheKnownOnes() throws {
        let repo = try TemporaryRepository(["V1__a.sql": "SELECT 1;"])
        defer { repo.remove() }
        let error = #expect(throws: InputError.self) { try MigrationSources.load(path: repo.path, layout: "liquibase") }
        #expect(error?.file == "--layout")
        #expect(error?.message.contains("primary, flyway, golang-migrate, diesel, dbmate, sqitch, migrate-mongo") == true)
    }
}
