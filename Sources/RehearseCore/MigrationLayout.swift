/// The folder names of the primary layout (DESIGN.md), per database and subject.
enum MigrationLayout {
    static let installPhases = ["schema", "data", "indexes"]
    static let upgradePhases = ["pre-upgrade", "schema-changes", "data-migration", "post-upgrade"]
    /// MongoDB may also use the seed's `migrations/` for forward files, run after the standard phases.
    static let mongoForward = "migrations"
    static let validate = "validate"
    static let rollbackFolders: [DatabaseKind: [String]] = [.postgresql: ["rollback"], .mongodb: ["rollback", "rollbacks"]]

    /// Forward phase folders in execution order.
    static func forwardPhases(upgrade: Bool, database: DatabaseKind) -> [String] {
        let phases = upgrade ? upgradePhases : installPhases
        return database == .mongodb ? phases + [mongoForward] : phases
    }

    static func allowedFolders(upgrade: Bool, database: DatabaseKind) -> [String] {
        forwardPhases(upgrade: upgrade, database: database) + [validate] + (rollbackFolders[database] ?? [])
    }

    /// The script extension of a database's files.
    static func scriptExtension(_ database: DatabaseKind) -> String {
        database == .postgresql ? "sql" : "json"
    }

    /// Files that are never scripts: notes, editor and OS leftovers.
    static func isIgnored(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix(".md") || name.hasSuffix(".txt") || name.hasSuffix("~")
    }
}
