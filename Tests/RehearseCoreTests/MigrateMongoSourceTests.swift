import Foundation
import Testing
@testable import RehearseCore

@Suite struct MigrateMongoSourceTests {
    static let sample = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sample-migrations/layouts/migrate-mongo-catalog").path

    static let migration = "module.exports = {\n  async up(db) {},\n  async down(db) {},\n};\n"

    @Test func theSampleIsDetectedAndRehearsedAsAChainOfItsFiles() throws {
        let loaded = try MigrationSources.load(path: Self.sample)
        #expect(loaded.layout == "migrate-mongo")
        let suite = try #require(loaded.suites.first)
        #expect(loaded.suites.count == 1)
        #expect(suite.isChain && suite.database == .mongodb)
        #expect(suite.name == "migrate-mongo-catalog")
        #expect(suite.bookkeepingCollections == ["changelog"])
        #expect(suite.subjects.map(\.id.description) == [
            "migration 20240101120000-create-products",
            "migration 20240115090000-add-categories",
            "migration 20240201083000-add-category-slugs",
        ])
        let second = suite.subjects[1]
        #expect(second.start == .resultOf(.migration("20240101120000-create-products")))
        #expect(second.forward.map(\.entry) == ["up"])
        #expect(second.forward.first?.displayPath == Self.sample + "/migrations/20240115090000-add-categories.js")
        #expect(second.undoFiles.map(\.entry) == ["down"])
        #expect(second.undoFiles.map(\.role) == [.undo])
        #expect(second.undoFiles.first?.url == second.forward.first?.url)
        #expect(second.idempotence == .outsideTransaction, "migrate-mongo runs a migration outside a transaction")
    }

    @Test func theConfigNamesTheFolderAndTheChangelog() throws {
        let repo = try TemporaryRepository([
            "migrate-mongo-config.js": """
            const path = require('path');
            module.exports = {
              mongodb: { url: process.env.URL, databaseName: "shop" },
              // migrationsDir: "old-migrations",
              migrationsDir: path.join(__dirname, "db", "mongo"),
              changelogCollectionName: "migrations_log",
              migrationFileExtension: ".cjs",
            };
            """,
            "db/mongo/20240101-b.cjs": Self.migration,
            "db/mongo/20231231-a.cjs": Self.migration,
            "db/mongo/README.md": "notes",
            "db/mongo/helper.js": "module.exports = {}",
        ])
        defer { repo.remove() }
        let suite = try #require(try MigrationSources.load(path: repo.path).suites.first)
        #expect(suite.subjects.map(\.id.description) == ["migration 20231231-a", "migration 20240101-b"])
        #expect(suite.bookkeepingCollections == ["migrations_log"])
    }

    @Test func migrationsWithoutAConfigUseMigrateMongosDefaults() throws {
        let repo = try TemporaryRepository(["migrations/20240101000000-first.js": Self.migration])
        defer { repo.remove() }
        let loaded = try MigrationSources.load(path: repo.path)
        #expect(loaded.layout == "migrate-mongo")
        #expect(loaded.suites.first?.bookkeepingCollections == ["changelog"])
        #expect(loaded.suites.first?.subjects.count == 1)
    }

    @Test func settingsThatWouldNeedRunningTheConfigAreInputErrorsWithTheLine() throws {
        let computed = try TemporaryRepository([
            "migrate-mongo-config.js": "module.exports = {\n  migrationsDir: process.env.DIR,\n};\n",
            "migrations/1-a.js": Self.migration,
        ])
        defer { computed.remove() }
        let error = #expect(throws: InputError.self) { try MigrationSources.load(path: computed.path) }
        #expect(error?.file?.hasSuffix("migrate-mongo-config.js") == true)
        #expect(error?.line == 2)
        #expect(error?.message.contains("string literal") == true)

        let esm = try TemporaryRepository([
            "migrate-mongo-config.js": "export default {\n  moduleSystem: 'esm',\n};\n",
            "migrations/1-a.js": Self.migration,
        ])
        defer { esm.remove() }
        let esmError = #expect(throws: InputError.self) { try MigrationSources.load(path: esm.path) }
        #expect(esmError?.line == 2)
        #expect(esmError?.message.contains("CommonJS") == true)
    }

    @Test func aConfigWithoutItsFolderOrMigrationsIsAnInputError() throws {
        let missing = try TemporaryRepository(["migrate-mongo-config.js": "module.exports = { migrationsDir: 'nope' };\n"])
        defer { missing.remove() }
        let error = #expect(throws: InputError.self) { try MigrationSources.load(path: missing.path) }
        #expect(error?.message.contains("migrationsDir nope is not a folder") == true)

        let empty = try TemporaryRepository(["migrate-mongo-config.js": "module.exports = {};\n", "migrations/notes.md": "none yet"])
        defer { empty.remove() }
        let emptyError = #expect(throws: InputError.self) { try MigrationSources.load(path: empty.path) }
        #expect(emptyError?.message.contains("holds no migrations") == true)
    }

    @Test func aFolderOfOtherJavaScriptIsNotAMigrateMongoRepository() throws {
        let repo = try TemporaryRepository(["migrations/build.js": "console.log('not a migration')\n"])
        defer { repo.remove() }
        #expect(!MigrateMongoSource.matches(RepositoryFolder(url: repo.root, display: repo.path)))
    }
}
