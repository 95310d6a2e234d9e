/// The installs and upgrade edges to rehearse for one database of a project.
///
/// With a `compatibility_matrix`, its `upgrades_to` entries are the edges (an edge without scripts is a policy
/// violation, reported by ``PolicyChecker``); without one, every `upgrade/from-…` folder is an edge.
public struct VersionGraph: Sendable, Equatable {
    public let database: DatabaseKind
    /// Versions with a `new-install/<db>/` folder, ascending.
    public let installs: [SemanticVersion]
    /// Edges that have scripts for this database, in order of their target version.
    public let upgrades: [UpgradeEdge]
    /// Edges the matrix declares but whose `upgrade/from-…/<db>/` folder is missing.
    public let missingUpgrades: [UpgradeEdge]
    /// Upgrade folders that the matrix does not declare: not rehearsed, and a policy violation.
    public let undeclaredUpgrades: [UpgradeEdge]

    public init(project: Project, database: DatabaseKind) {
        self.database = database
        installs = project.versions.filter { $0.installs[database] != nil }.map(\.version)
        var present = Set<UpgradeEdge>()
        for version in project.versions {
            for upgrade in version.upgrades where upgrade.database == database {
                present.insert(UpgradeEdge(from: upgrade.from, to: version.version))
            }
        }
        guard let matrix = project.config.compatibilityMatrix else {
            upgrades = present.sorted()
            missingUpgrades = []
            undeclaredUpgrades = []
            return
        }
        var declared = Set<UpgradeEdge>()
        for (from, entry) in matrix {
            for to in entry.upgradesTo { declared.insert(UpgradeEdge(from: from, to: to)) }
        }
        upgrades = present.intersection(declared).sorted()
        missingUpgrades = declared.subtracting(present).sorted()
        undeclaredUpgrades = present.subtracting(declared).sorted()
    }
}
