import Foundation

/// Turns the migrations a flat-layout source read into one chain suite (DESIGN.md, "Flat layouts are chains").
///
/// Step i+1 starts from step i's result; the first starts from an empty database. `rehearse.yaml` adds what the
/// layout itself cannot say: irreversible migrations, validators, fixtures loaded after a step, a schema dump to
/// compare with, the idempotence rule and the rollback and validation policies.
public struct ChainBuilder: Sendable {
    public let layout: String
    public let folder: RepositoryFolder
    public let config: RehearseConfig?
    public let database: DatabaseKind

    public init(layout: String, folder: RepositoryFolder, config: RehearseConfig?, database: DatabaseKind = .postgresql) {
        self.layout = layout
        self.folder = folder
        self.config = config
        self.database = database
    }

    /// The suite name: `name` in rehearse.yaml, else the folder name of PATH.
    public var suiteName: String {
        if let name = config?.name, !name.isEmpty { return name }
        if let name = config?.repositoryName, !name.isEmpty { return name }
        let name = folder.url.standardizedFileURL.lastPathComponent
        return name.isEmpty || name == "/" ? "repository" : name
    }

    /// Builds the chain.
    ///
    /// - Parameters:
    ///   - migrations: in the layout's order.
    ///   - baselines: installs to compare with (Flyway `B…` files); `schema:` in rehearse.yaml is added here.
    ///   - violations: what the source found against its own rules (duplicate numbers, …), reported by `policy`.
    /// - Throws: ``InputError`` for a rehearse.yaml entry naming a migration or file that does not exist.
    public func build(
        _ migrations: [ChainMigration], baselines: [ChainBaseline] = [], violations: [PolicyViolation] = []
    ) throws -> LoadedRepository {
        let ids = Set(migrations.map(\.id))
        // A script behind a link that leads out of the repository is refused before anything reads it.
        for migration in migrations {
            for file in migration.forward + (migration.undo ?? []) + migration.verify {
                try RepositoryFolder(url: file.url, display: file.displayPath).requireInside(root: folder.root)
            }
        }
        let config = config ?? RehearseConfig(displayPath: folder.child("rehearse.yaml").display)
        try checkNamed(config.irreversible, key: "irreversible", known: ids, config: config)
        try checkNamed(Array(config.validators.keys), key: "validators", known: ids, config: config)
        try checkNamed(config.fixtures.map(\.after), key: "fixtures", known: ids, config: config)

        var baselines = baselines
        if let schema = config.schema {
            let file = try resolve(schema, role: .baseline, config: config, line: config.lines["schema"])
            baselines.append(ChainBaseline(version: nil, files: [file], label: "schema dump \(file.displayPath)"))
        }
        var subjects: [RehearsalSubject] = []
        var previous: MigrationSubject?
        for (index, migration) in migrations.enumerated() {
            let id = MigrationSubject.migration(migration.id)
            let irreversible = config.irreversible.contains(migration.id)
            let undo: RehearsalSubject.Undo
            if irreversible {
                undo = .irreversible
            } else if let files = migration.undo {
                undo = .scripts(files)
            } else {
                let expected = migration.undoLocation.map { " (expected \($0))" } ?? ""
                undo = .missing(reason: "no down migration\(expected)")
            }
            var validators = migration.verify
            for path in config.validators[migration.id] ?? [] {
                validators.append(try resolve(path, role: .validator, config: config, line: config.lines["validators." + migration.id]))
            }
            var loadAfter: [ScriptFile] = []
            for fixture in config.fixtures where fixture.after == migration.id {
                for path in fixture.files {
                    loadAfter.append(try resolve(path, role: .fixture, config: config, line: fixture.line))
                }
            }
            let isLast = index == migrations.count - 1
            let baseline = baselines.first { baseline in
                if let version = baseline.version { return version == migration.version }
                return isLast
            }
            let equivalence: RehearsalSubject.Equivalence = baseline.map { .scripts($0.files, label: $0.label) } ?? .notPlanned
            subjects.append(RehearsalSubject(
                id: id, folder: migration.location, start: previous.map { .resultOf($0) } ?? .empty,
                forward: migration.forward, undo: undo, undoLocation: migration.undoLocation, validators: validators,
                idempotence: migration.repeatable ? .always : (config.idempotence ?? .outsideTransaction),
                data: .startRows, equivalence: equivalence, backup: false, loadAfter: loadAfter
            ))
            previous = id
        }
        for baseline in baselines where baseline.version != nil && !migrations.contains(where: { $0.version == baseline.version }) {
            throw InputError(file: baseline.files.first?.displayPath, "\(baseline.label) is at version \(baseline.version ?? ""), but no migration has that version")
        }
        let suite = RehearsalSuite(
            name: suiteName, database: database, layout: layout, displayPath: folder.display, subjects: subjects,
            policy: policy(migrations, config: config, found: violations), isChain: true,
            allowedRules: config.allow, allowedRulesFile: config.displayPath, allowedRulesLine: config.lines["allow"]
        )
        return LoadedRepository(root: folder.url, displayPath: folder.display, layout: layout, suites: [suite])
    }

    private func policy(_ migrations: [ChainMigration], config: RehearseConfig, found: [PolicyViolation]) -> PolicyOutcome {
        guard config.requireRollback || config.requireValidation || !found.isEmpty else {
            return .noRules(reason: "no policies in rehearse.yaml")
        }
        var violations = found
        for migration in migrations {
            // Flyway has no undo for repeatable scripts: they are re-run, not rolled back.
            if config.requireRollback, !config.irreversible.contains(migration.id), migration.undo == nil, !migration.repeatable {
                violations.append(PolicyViolation(
                    "migration \(migration.id): no down migration\(migration.undoLocation.map { " (\($0))" } ?? "") (require_rollback)",
                    file: migration.location
                ))
            }
            if config.requireValidation, migration.verify.isEmpty, config.validators[migration.id] == nil {
                violations.append(PolicyViolation("migration \(migration.id): no validator (require_validation)", file: migration.location))
            }
        }
        return .checked(violations)
    }

    private func checkNamed(_ names: [String], key: String, known: Set<String>, config: RehearseConfig) throws {
        for name in names where !known.contains(name) {
            let closest = known.min { Self.distance($0, name) < Self.distance($1, name) }
            let suggestion = closest.map { "; did you mean `\($0)`?" } ?? ""
            throw InputError(file: config.displayPath, line: config.lines[key + "." + name] ?? config.lines[key], "\(key) names migration `\(name)`, which does not exist\(suggestion)")
        }
    }

    /// A file named in rehearse.yaml, relative to the folder holding it.
    private func resolve(_ path: String, role: ScriptFile.Role, config: RehearseConfig, line: Int?) throws -> ScriptFile {
        let folder = config.folder ?? folder
        var file = folder
        for component in path.split(separator: "/") where component != "." {
            file = file.child(String(component))
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw InputError(file: config.displayPath, line: line, "names \(path), which is not a file in \(folder.display)")
        }
        try file.requireInsideRepository()
        return ScriptFile(url: file.url, displayPath: file.display, role: role, phase: role.rawValue, number: nil, summary: file.name)
    }

    /// Levenshtein distance, for "did you mean".
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
