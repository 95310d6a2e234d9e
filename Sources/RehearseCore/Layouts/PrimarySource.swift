/// The multi-project layout of the strategy document (DESIGN.md, "The primary layout").
///
/// Reading is ``RepositoryLoader``'s; this turns each project and database into a suite whose subjects are the
/// installs (starting empty) and the upgrade edges (starting from the installed old version, or from the
/// rehearsed path to it when the old version has no new-install).
public struct PrimarySource: MigrationSource {
    public static let name = "primary"
    public static let signature = "projects/<project>/project-config.yaml, or a project folder holding project-config.yaml"

    public init() {}

    public static func matches(_ folder: RepositoryFolder) -> Bool {
        folder.child("projects").isDirectory || folder.contains("project-config.yaml")
    }

    public func load(_ folder: RepositoryFolder, config: RehearseConfig?) throws -> LoadedRepository {
        let repository = try RepositoryLoader().load(path: folder.display, url: folder.url)
        var suites: [RehearsalSuite] = []
        for project in repository.projects {
            for database in project.databases {
                suites.append(Self.suite(project, database: database))
            }
        }
        return LoadedRepository(root: folder.url, displayPath: folder.display, layout: Self.name, suites: suites, projects: repository.projects)
    }

    /// The suite of one project on one database.
    public static func suite(_ project: Project, database: DatabaseKind) -> RehearsalSuite {
        let graph = VersionGraph(project: project, database: database)
        var subjects: [RehearsalSubject] = []
        for version in graph.installs {
            guard let scripts = project.version(version)?.installs[database] else { continue }
            subjects.append(RehearsalSubject(
                id: .install(version), folder: scripts.folder, start: .empty, forward: scripts.forward,
                undo: undo(scripts), undoLocation: scripts.folder + "/rollback", validators: scripts.validators,
                idempotence: .always, data: .notPlanned, equivalence: .notPlanned, backup: false
            ))
        }
        let starts = startingPoints(graph)
        let backup = project.config.policies.backupBeforeUpgrade
        for edge in graph.upgrades {
            guard let scripts = project.version(edge.to)?.upgrade(from: edge.from, database: database)?.scripts else { continue }
            let fixtures = project.version(edge.from)?.fixtures[database] ?? []
            let data: RehearsalSubject.DataSource = fixtures.isEmpty
                ? .unavailable(reason: "no fixtures for \(edge.from) (versions/\(edge.from)/fixtures/\(database.rawValue)/)")
                : .fixtures(fixtures)
            let equivalence: RehearsalSubject.Equivalence = graph.installs.contains(edge.to)
                ? .subject(.install(edge.to), label: "a fresh install of \(edge.to)")
                : .unavailable(reason: "\(edge.to) has no new-install/\(database.rawValue)/ to compare with")
            let start: RehearsalSubject.Start = starts[edge.from].map { .resultOf($0) }
                ?? .unavailable(reason: "\(edge.from) has no new-install/\(database.rawValue)/ and no rehearsed upgrade path reaches it")
            subjects.append(RehearsalSubject(
                id: .upgrade(from: edge.from, to: edge.to), folder: scripts.folder, start: start, forward: scripts.forward,
                undo: undo(scripts), undoLocation: scripts.folder + "/rollback", validators: scripts.validators,
                idempotence: .always, data: data, equivalence: equivalence, backup: backup
            ))
        }
        return RehearsalSuite(
            name: project.name, database: database, layout: name, displayPath: project.displayPath, subjects: subjects,
            policy: policy(project, database: database, starts: starts, graph: graph), isChain: false,
            allowedRules: project.config.lint.allow, allowedRulesFile: project.displayPath + "/project-config.yaml",
            allowedRulesLine: project.config.lint.line
        )
    }

    private static func undo(_ scripts: ScriptSet) -> RehearsalSubject.Undo {
        guard scripts.undo.isEmpty else { return .scripts(scripts.undo) }
        return .missing(reason: scripts.hasRollbackFolder ? "no undo scripts in \(scripts.folder)/rollback/" : "no rollback/ folder in \(scripts.folder)")
    }

    /// For each version, the subject whose result is the database at that version: its fresh install when it
    /// has one, else the first upgrade edge into it whose own start is reachable.
    static func startingPoints(_ graph: VersionGraph) -> [SemanticVersion: MigrationSubject] {
        var starts: [SemanticVersion: MigrationSubject] = [:]
        for version in graph.installs { starts[version] = .install(version) }
        // Edges are ordered by target version, so an edge's start is settled before edges into later versions.
        for edge in graph.upgrades where starts[edge.to] == nil && starts[edge.from] != nil {
            starts[edge.to] = .upgrade(from: edge.from, to: edge.to)
        }
        return starts
    }

    private static func policy(_ project: Project, database: DatabaseKind, starts: [SemanticVersion: MigrationSubject], graph: VersionGraph) -> PolicyOutcome {
        let checker = PolicyChecker(project: project, database: database)
        var violations = checker.hasRules ? checker.violations().map { PolicyViolation($0) } : []
        for edge in graph.upgrades where starts[edge.from] == nil {
            violations.append(PolicyViolation(
                "upgrade \(edge): \(edge.from) cannot be reached: it has no new-install/\(database.rawValue)/ and no upgrade path into it starts from an install",
                file: "\(project.displayPath)/versions/\(edge.from)"
            ))
        }
        guard checker.hasRules || !violations.isEmpty else {
            return .noRules(reason: "no policies or compatibility_matrix in project-config.yaml")
        }
        return .checked(violations)
    }
}
