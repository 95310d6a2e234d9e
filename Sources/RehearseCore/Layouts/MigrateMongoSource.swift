import Foundation

/// migrate-mongo's layout: `migrate-mongo-config.js` beside a `migrationsDir` (default `migrations/`) of JavaScript
/// files exporting `up(db, client)` and `down(db, client)`, applied in file-name order (DESIGN.md, the
/// `migrate-mongo` row).
///
/// One chain on MongoDB; each file is one step, subject `migration <file stem>`, its undo the same file's `down`.
/// The changelog collection (`changelogCollectionName`, default `changelog`) is the tool's bookkeeping: the suite
/// lists it in ``RehearsalSuite/bookkeepingCollections`` so that snapshots and data comparisons leave it out.
public struct MigrateMongoSource: MigrationSource {
    public static let name = "migrate-mongo"
    public static let signature = "migrate-mongo-config.js, or migrations/*.js exporting up and down"
    public static let configFile = "migrate-mongo-config.js"

    public init() {}

    public static func matches(_ folder: RepositoryFolder) -> Bool {
        if folder.contains(configFile) { return true }
        let migrations = folder.child(MigrateMongoConfig.defaultMigrationsDir)
        guard migrations.isDirectory else { return false }
        return migrations.entriesOrEmpty.contains { name in
            name.hasSuffix(".js") && !name.hasPrefix(".") && exportsUpAndDown(migrations.child(name))
        }
    }

    /// A cheap look at the text, for detection only: it mentions `up` and `down` and exports something.
    static func exportsUpAndDown(_ file: RepositoryFolder) -> Bool {
        guard let text = try? file.readText() else { return false }
        let exports = text.contains("module.exports") || text.contains("exports.")
        return exports && text.range(of: #"\bup\b"#, options: .regularExpression) != nil
            && text.range(of: #"\bdown\b"#, options: .regularExpression) != nil
    }

    public func load(_ folder: RepositoryFolder, config: RehearseConfig?) throws -> LoadedRepository {
        let configFolder = folder.child(Self.configFile)
        let settings = folder.contains(Self.configFile)
            ? try MigrateMongoConfig.parse(try configFolder.readText(), displayPath: configFolder.display)
            : MigrateMongoConfig()
        var migrationsFolder = folder
        for component in settings.migrationsDir.split(separator: "/") where component != "." {
            migrationsFolder = migrationsFolder.child(String(component))
        }
        guard migrationsFolder.isDirectory else {
            throw InputError(
                file: folder.contains(Self.configFile) ? configFolder.display : migrationsFolder.display,
                "migrationsDir \(settings.migrationsDir) is not a folder in \(folder.display)"
            )
        }
        var migrations: [ChainMigration] = []
        // migrate-mongo applies the files in the order of their names (`fs.readdir` sorted).
        for name in try migrationsFolder.entries() {
            let child = migrationsFolder.child(name)
            if name.hasPrefix(".") || child.isDirectory || !name.hasSuffix(settings.migrationFileExtension) { continue }
            let stem = String(name.dropLast(settings.migrationFileExtension.count))
            guard !stem.isEmpty else { continue }
            let digits = stem.prefix { $0.isASCII && $0.isNumber }
            let forward = ScriptFile(
                url: child.url, displayPath: child.display, role: .forward, phase: "migrations", number: nil,
                summary: Self.summary(stem), execution: .autocommit, entry: "up"
            )
            migrations.append(ChainMigration(
                id: stem, version: digits.isEmpty ? nil : String(digits), forward: [forward],
                undo: [forward.with(entry: "down", role: .undo)], location: child.display, undoLocation: child.display
            ))
        }
        guard !migrations.isEmpty else {
            throw InputError(file: migrationsFolder.display, "holds no migrations; expected <timestamp>-<description>\(settings.migrationFileExtension) files exporting up and down")
        }
        var loaded = try ChainBuilder(layout: Self.name, folder: folder, config: config, database: .mongodb).build(migrations)
        for index in loaded.suites.indices {
            loaded.suites[index].bookkeepingCollections = [settings.changelogCollectionName]
        }
        return loaded
    }

    /// `20240101120000-add-orders` → `add orders`.
    static func summary(_ stem: String) -> String {
        let words = stem.drop { $0.isASCII && $0.isNumber }.drop { $0 == "-" || $0 == "_" }
        return (words.isEmpty ? Substring(stem) : words).replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
    }
}
