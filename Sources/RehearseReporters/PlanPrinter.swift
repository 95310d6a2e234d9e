import RehearseCore

/// Renders the plan of `rehearse list`: per project and database, every install and upgrade with its scripts
/// in execution order, and how many checks `verify` will run.
public struct PlanPrinter: Sendable {
    public init() {}

    public func text(for suites: [(Project, DatabaseKind)]) -> String {
        var lines: [String] = []
        var total = 0
        var lastProject: String?
        for (project, database) in suites {
            if project.name != lastProject {
                lastProject = project.name
                let policies = Self.policyNames(project.config.policies)
                lines.append("\(project.name)  (\(project.displayPath))" + (policies.isEmpty ? "" : "  policies: " + policies.joined(separator: ", ")))
            }
            let graph = VersionGraph(project: project, database: database)
            lines.append("  \(database.rawValue)")
            let backup = project.config.policies.backupBeforeUpgrade
            var checks = SuiteRehearsal.checks(for: .project, backup: backup).count
            for version in graph.installs {
                let scripts = project.version(version)!.installs[database]!
                lines.append("    install \(version)  " + Self.counts(scripts))
                lines += Self.files(scripts)
                checks += SuiteRehearsal.checks(for: .install(version), backup: backup).count
            }
            for edge in graph.upgrades {
                let scripts = project.version(edge.to)!.upgrade(from: edge.from, database: database)!.scripts
                let fixtures = project.version(edge.from)?.fixtures[database]?.count ?? 0
                lines.append("    upgrade \(edge)  " + Self.counts(scripts) + ", \(fixtures) fixture\(fixtures == 1 ? "" : "s") at \(edge.from)")
                lines += Self.files(scripts)
                checks += SuiteRehearsal.checks(for: .upgrade(from: edge.from, to: edge.to), backup: backup).count
            }
            for edge in graph.missingUpgrades {
                lines.append("    upgrade \(edge)  MISSING: declared in compatibility_matrix, no scripts")
            }
            lines.append("    \(checks) checks")
            total += checks
        }
        lines.append("\(total) checks in \(suites.count) suite\(suites.count == 1 ? "" : "s")")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func counts(_ scripts: ScriptSet) -> String {
        let rollback = scripts.hasRollbackFolder ? "\(scripts.undo.count) undo" : "no rollback/"
        return "\(scripts.forward.count) forward, \(scripts.validators.count) validator\(scripts.validators.count == 1 ? "" : "s"), \(rollback)"
    }

    private static func files(_ scripts: ScriptSet) -> [String] {
        scripts.forward.map { "      → \($0.displayPath)" }
            + scripts.validators.map { "      ✓ \($0.displayPath)" }
            + scripts.undo.map { "      ← \($0.displayPath)" }
    }

    private static func policyNames(_ policies: ProjectConfig.Policies) -> [String] {
        [
            policies.requireRollback ? "require_rollback" : nil,
            policies.requireValidation ? "require_validation" : nil,
            policies.dryRunFirst ? "dry_run_first" : nil,
            policies.backupBeforeUpgrade ? "backup_before_upgrade" : nil,
        ].compactMap { $0 }
    }
}
