/// Checks a project's policies and compatibility matrix for one database (DESIGN.md, "Policies, precisely").
public struct PolicyChecker: Sendable {
    public let project: Project
    public let database: DatabaseKind

    public init(project: Project, database: DatabaseKind) {
        self.project = project
        self.database = database
    }

    /// Whether there is anything to check: a policy switched on or a matrix declared.
    public var hasRules: Bool {
        let policies = project.config.policies
        return policies.requireRollback || policies.requireValidation || project.config.compatibilityMatrix != nil
    }

    /// Every violation as one line naming the version, the folder or file, and the rule.
    public func violations() -> [String] {
        let graph = VersionGraph(project: project, database: database)
        var found: [String] = []
        let policies = project.config.policies
        for (subject, scripts) in scriptSets() {
            if policies.requireRollback {
                found += rollbackViolations(subject: subject, scripts: scripts)
            }
            if policies.requireValidation, scripts.validators.isEmpty {
                found.append("\(subject): \(scripts.folder)/validate/ has no validator (require_validation)")
            }
        }
        guard let matrix = project.config.compatibilityMatrix else { return found }
        let upgradeFolder = { (edge: UpgradeEdge) in
            "\(project.displayPath)/versions/\(edge.to)/upgrade/from-\(edge.from)/\(database.rawValue)/"
        }
        for edge in graph.missingUpgrades {
            found.append("upgrade \(edge): compatibility_matrix declares it, but \(upgradeFolder(edge)) does not exist (missing path)")
        }
        for edge in graph.undeclaredUpgrades {
            found.append("upgrade \(edge): \(upgradeFolder(edge)) exists, but compatibility_matrix does not list \(edge.to) in \(edge.from).upgrades_to")
        }
        for (version, entry) in matrix.sorted(by: { $0.key < $1.key }) {
            for target in entry.rollbackTo {
                let edge = UpgradeEdge(from: target, to: version)
                guard target < version else {
                    found.append("\(version): rollback_to \(target) is not an older version")
                    continue
                }
                guard let scripts = project.version(version)?.upgrade(from: target, database: database)?.scripts else {
                    found.append("rollback \(version) -> \(target): compatibility_matrix declares it, but \(upgradeFolder(edge)) does not exist, so there is nothing to roll back with")
                    continue
                }
                if scripts.undo.isEmpty {
                    found.append("rollback \(version) -> \(target): compatibility_matrix declares it, but \(scripts.folder)/rollback/ has no undo scripts")
                }
            }
        }
        return found
    }

    private func scriptSets() -> [(MigrationSubject, ScriptSet)] {
        var sets: [(MigrationSubject, ScriptSet)] = []
        for version in project.versions {
            if let install = version.installs[database] { sets.append((.install(version.version), install)) }
            for upgrade in version.upgrades where upgrade.database == database {
                sets.append((.upgrade(from: upgrade.from, to: version.version), upgrade.scripts))
            }
        }
        return sets.sorted { $0.0 < $1.0 }
    }

    private func rollbackViolations(subject: MigrationSubject, scripts: ScriptSet) -> [String] {
        // JavaScript forward files may carry their own `down`: then the undo exists without a rollback/ folder.
        guard scripts.hasRollbackFolder || !scripts.undo.isEmpty else {
            return ["\(subject): \(scripts.folder)/rollback/ is missing (require_rollback)"]
        }
        let undone = Set(scripts.undo.compactMap(\.number))
        return scripts.forward
            .filter { $0.phase != "pre-upgrade" && !undone.contains($0.number!) }
            .map { "\(subject): \($0.displayPath) has no undo file with number \($0.number!) (require_rollback)" }
    }
}
