import Foundation

/// One project of a migration repository: its configuration and every version's scripts.
public struct Project: Sendable, Equatable {
    public let name: String
    /// Repository-relative folder, e.g. `projects/e-commerce`.
    public let displayPath: String
    public let config: ProjectConfig
    /// Versions in ascending order.
    public let versions: [ProjectVersion]

    public init(name: String, displayPath: String, config: ProjectConfig, versions: [ProjectVersion]) {
        self.name = name
        self.displayPath = displayPath
        self.config = config
        self.versions = versions.sorted { $0.version < $1.version }
    }

    /// The databases to rehearse: those the config declares, or (with none declared) those with folders.
    public var databases: [DatabaseKind] {
        if !config.databases.isEmpty { return config.databases.map(\.kind).sorted() }
        var kinds = Set<DatabaseKind>()
        for version in versions {
            kinds.formUnion(version.installs.keys)
            kinds.formUnion(version.upgrades.map(\.database))
            kinds.formUnion(version.fixtures.keys)
        }
        return kinds.sorted()
    }

    public func version(_ version: SemanticVersion) -> ProjectVersion? {
        versions.first { $0.version == version }
    }
}

/// One `versions/<version>/` folder.
public struct ProjectVersion: Sendable, Equatable {
    public let version: SemanticVersion
    public let displayPath: String
    /// `new-install/<db>/`, per database.
    public let installs: [DatabaseKind: ScriptSet]
    /// `upgrade/from-<old>/<db>/`, every edge into this version.
    public let upgrades: [UpgradeScripts]
    /// `fixtures/<db>/`, sample data for a database at this version, in name order.
    public let fixtures: [DatabaseKind: [ScriptFile]]

    public init(version: SemanticVersion, displayPath: String, installs: [DatabaseKind: ScriptSet], upgrades: [UpgradeScripts], fixtures: [DatabaseKind: [ScriptFile]]) {
        self.version = version
        self.displayPath = displayPath
        self.installs = installs
        self.upgrades = upgrades.sorted { ($0.from, $0.database) < ($1.from, $1.database) }
        self.fixtures = fixtures
    }

    public func upgrade(from old: SemanticVersion, database: DatabaseKind) -> UpgradeScripts? {
        upgrades.first { $0.from == old && $0.database == database }
    }
}

/// The scripts that take one database from `from` to the version that holds them.
public struct UpgradeScripts: Sendable, Equatable {
    public let from: SemanticVersion
    public let database: DatabaseKind
    public let scripts: ScriptSet

    public init(from: SemanticVersion, database: DatabaseKind, scripts: ScriptSet) {
        self.from = from
        self.database = database
        self.scripts = scripts
    }
}

/// A loaded migration repository: the root holding `projects/`, or a single project folder.
public struct MigrationRepository: Sendable, Equatable {
    public let root: URL
    public let projects: [Project]

    public init(root: URL, projects: [Project]) {
        self.root = root
        self.projects = projects.sorted { $0.name < $1.name }
    }
}
