import Foundation

/// Reads a migration repository in the primary layout of DESIGN.md.
///
/// Everything wrong with the layout — a malformed config, a file name that does not parse, an unknown folder,
/// an upgrade from a version that has no folder — is an ``InputError`` naming the file (and line).
public struct RepositoryLoader: Sendable {
    public init() {}

    /// Loads `path`: a folder holding `projects/`, or one project folder holding `project-config.yaml`.
    ///
    /// - Parameter path: as the user typed it; messages show file paths starting with it.
    public func load(path: String) throws -> MigrationRepository {
        try load(path: path, url: URL(fileURLWithPath: path).standardizedFileURL)
    }

    /// Loads the folder at `url`, shown in messages as `path`.
    public func load(path: String, url: URL) throws -> MigrationRepository {
        let shown = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw InputError(file: shown, "no such file or directory; expected a migration repository (a folder holding projects/) or a project folder")
        }
        guard isDirectory.boolValue else {
            throw InputError(file: shown, "is a file; expected a migration repository (a folder holding projects/) or a project folder")
        }
        let folder = RepositoryFolder(url: url, display: shown)
        if folder.contains("projects") {
            let projectsFolder = folder.child("projects")
            let names = try projectsFolder.entries().filter { projectsFolder.child($0).isDirectory }
            guard !names.isEmpty else {
                throw InputError(file: projectsFolder.display, "holds no project folders")
            }
            return MigrationRepository(root: url, projects: try names.map { try loadProject(projectsFolder.child($0)) })
        }
        if folder.contains("project-config.yaml") || folder.contains("versions") {
            return MigrationRepository(root: url, projects: [try loadProject(folder)])
        }
        throw InputError(file: shown, "holds neither projects/ nor project-config.yaml; expected a migration repository or a project folder")
    }

    // MARK: - Project

    private func loadProject(_ folder: RepositoryFolder) throws -> Project {
        let configFolder = folder.child("project-config.yaml")
        guard folder.contains("project-config.yaml") else {
            throw InputError(file: configFolder.display, "missing; every project needs a project-config.yaml with `spec.databases`")
        }
        let text: String
        do {
            text = try String(contentsOf: configFolder.url, encoding: .utf8)
        } catch {
            throw InputError(file: configFolder.display, "cannot be read as UTF-8 text")
        }
        let config = try ProjectConfigParser(displayPath: configFolder.display).parse(text)
        guard folder.contains("versions") else {
            throw InputError(file: folder.child("versions").display, "missing; expected versions/v<semver>/ folders")
        }
        let versionsFolder = folder.child("versions")
        var versions: [ProjectVersion] = []
        var folderOfVersion: [SemanticVersion: RepositoryFolder] = [:]
        for name in try versionsFolder.entries() {
            let child = versionsFolder.child(name)
            guard child.isDirectory else { continue }
            guard name.hasPrefix("v"), let version = SemanticVersion(name) else {
                throw InputError(file: child.display, "is not a version folder; expected v<major>.<minor>.<patch>, e.g. v1.1.0")
            }
            // `v01.0.0` and `v1.00.0` name v1.0.0 too: one version, one folder.
            if let other = folderOfVersion[version] {
                throw InputError(file: child.display, "names the same version \(version) as \(other.display); keep one folder per version, spelled \(version)")
            }
            folderOfVersion[version] = child
            versions.append(try loadVersion(child, version: version, config: config))
        }
        guard !versions.isEmpty else {
            throw InputError(file: versionsFolder.display, "holds no version folders; expected versions/v<semver>/")
        }
        let project = Project(name: folder.url.lastPathComponent, displayPath: folder.display, config: config, versions: versions)
        try checkReferences(project, configDisplay: configFolder.display)
        return project
    }

    /// Upgrades must start from a version the project has; the matrix must name versions the project has.
    private func checkReferences(_ project: Project, configDisplay: String) throws {
        let known = Set(project.versions.map(\.version))
        for version in project.versions {
            for upgrade in version.upgrades where !known.contains(upgrade.from) {
                throw InputError(file: upgrade.scripts.folder, "upgrades from \(upgrade.from), but there is no versions/\(upgrade.from)/ to install it from")
            }
        }
        guard let matrix = project.config.compatibilityMatrix else { return }
        for (version, entry) in matrix.sorted(by: { $0.key < $1.key }) {
            for referenced in [version] + entry.upgradesTo + entry.rollbackTo where !known.contains(referenced) {
                throw InputError(file: configDisplay, line: entry.line, "compatibility_matrix names \(referenced), but there is no versions/\(referenced)/ folder")
            }
        }
    }

    // MARK: - Version

    private func loadVersion(_ folder: RepositoryFolder, version: SemanticVersion, config: ProjectConfig) throws -> ProjectVersion {
        var installs: [DatabaseKind: ScriptSet] = [:]
        var upgrades: [UpgradeScripts] = []
        var fixtures: [DatabaseKind: [ScriptFile]] = [:]
        for name in try folder.entries() {
            let child = folder.child(name)
            guard child.isDirectory else {
                if MigrationLayout.isIgnored(name) { continue }
                throw InputError(file: child.display, "unexpected file; a version folder holds new-install/, upgrade/ and fixtures/")
            }
            switch name {
            case "new-install":
                for (database, dbFolder) in try databaseFolders(child, config: config) {
                    installs[database] = try loadScriptSet(dbFolder, database: database, version: version, upgrade: false)
                }
            case "upgrade":
                for fromName in try child.entries() {
                    let fromFolder = child.child(fromName)
                    guard fromFolder.isDirectory else {
                        if MigrationLayout.isIgnored(fromName) { continue }
                        throw InputError(file: fromFolder.display, "unexpected file; upgrade/ holds from-<version>/ folders")
                    }
                    guard fromName.hasPrefix("from-v"), let old = SemanticVersion(fromName.dropFirst("from-".count)) else {
                        throw InputError(file: fromFolder.display, "is not an upgrade folder; expected from-v<major>.<minor>.<patch>, e.g. from-v1.0.0")
                    }
                    guard old < version else {
                        throw InputError(file: fromFolder.display, "upgrades from \(old) to \(version), which is not a newer version")
                    }
                    for (database, dbFolder) in try upgradeDatabaseFolders(fromFolder, config: config) {
                        let scripts = try loadScriptSet(dbFolder, database: database, version: version, upgrade: true)
                        upgrades.append(UpgradeScripts(from: old, database: database, scripts: scripts))
                    }
                }
            case "fixtures":
                for (database, dbFolder) in try databaseFolders(child, config: config) {
                    fixtures[database] = try loadPlainScripts(dbFolder, database: database, role: .fixture, phase: "fixtures")
                }
            default:
                throw InputError(file: child.display, "unexpected folder; a version folder holds new-install/, upgrade/ and fixtures/")
            }
        }
        return ProjectVersion(version: version, displayPath: folder.display, installs: installs, upgrades: upgrades, fixtures: fixtures)
    }

    /// The `<db>/` folders below `folder`, each a database the config declares (when it declares any).
    private func databaseFolders(_ folder: RepositoryFolder, config: ProjectConfig) throws -> [(DatabaseKind, RepositoryFolder)] {
        var result: [(DatabaseKind, RepositoryFolder)] = []
        for name in try folder.entries() {
            let child = folder.child(name)
            guard child.isDirectory else {
                if MigrationLayout.isIgnored(name) { continue }
                throw InputError(file: child.display, "unexpected file; expected postgresql/ or mongodb/ folders here")
            }
            result.append((try declaredDatabase(name, child, config: config), child))
        }
        return result
    }

    /// An upgrade folder holds `<db>/` folders, or — with exactly one database declared — the phase folders directly.
    private func upgradeDatabaseFolders(_ folder: RepositoryFolder, config: ProjectConfig) throws -> [(DatabaseKind, RepositoryFolder)] {
        let entries = try folder.entries().filter { folder.child($0).isDirectory }
        let databaseNames = Set(DatabaseKind.allCases.map(\.rawValue))
        if entries.contains(where: databaseNames.contains) {
            return try databaseFolders(folder, config: config)
        }
        guard config.databases.count == 1, let only = config.databases.first?.kind else {
            throw InputError(
                file: folder.display,
                "holds no postgresql/ or mongodb/ folder; phase folders may sit directly here only when project-config.yaml declares exactly one database"
            )
        }
        return [(only, folder)]
    }

    private func declaredDatabase(_ name: String, _ folder: RepositoryFolder, config: ProjectConfig) throws -> DatabaseKind {
        guard let database = DatabaseKind(rawValue: name) else {
            throw InputError(file: folder.display, "unknown database folder; expected postgresql/ or mongodb/")
        }
        if !config.databases.isEmpty, !config.databases.contains(where: { $0.kind == database }) {
            throw InputError(file: folder.display, "project-config.yaml declares no \(database.rawValue) database; add one under spec.databases or remove the folder")
        }
        return database
    }

    // MARK: - Scripts

    private func loadScriptSet(_ folder: RepositoryFolder, database: DatabaseKind, version: SemanticVersion, upgrade: Bool) throws -> ScriptSet {
        let allowed = MigrationLayout.allowedFolders(upgrade: upgrade, database: database)
        let rollbackNames = MigrationLayout.rollbackFolders[database] ?? []
        for name in try folder.entries() {
            let child = folder.child(name)
            if !child.isDirectory {
                if MigrationLayout.isIgnored(name) { continue }
                throw InputError(file: child.display, "unexpected file; scripts belong in the phase folders \(allowed.map { $0 + "/" }.joined(separator: ", "))")
            }
            if !allowed.contains(name) {
                throw InputError(file: child.display, "unexpected folder; expected \(allowed.map { $0 + "/" }.joined(separator: ", "))")
            }
        }
        var forward: [ScriptFile] = []
        for phase in MigrationLayout.forwardPhases(upgrade: upgrade, database: database) where folder.contains(phase) {
            let files = try loadMigrations(folder.child(phase), database: database, version: version, phase: phase, direction: .forward)
            // Every migration file has a number (its name parsed); nil sorts first rather than trapping.
            forward += files.sorted { ($0.number ?? Self.noNumber, $0.fileName) < ($1.number ?? Self.noNumber, $1.fileName) }
        }
        var undo: [ScriptFile] = []
        var hasRollbackFolder = false
        for phase in rollbackNames where folder.contains(phase) {
            hasRollbackFolder = true
            undo += try loadMigrations(folder.child(phase), database: database, version: version, phase: phase, direction: .undo)
        }
        // A JavaScript forward file without a rollback file of its number is undone by its own `down`.
        let rolledBack = Set(undo.compactMap(\.number))
        for file in forward where file.entry != nil {
            if let number = file.number, !rolledBack.contains(number) {
                undo.append(file.with(entry: "down", role: .undo))
            }
        }
        undo.sort { ($0.number ?? Self.noNumber, $0.fileName) > ($1.number ?? Self.noNumber, $1.fileName) }
        try checkUnique(forward, in: folder)
        try checkUnique(undo, in: folder)
        let validators = folder.contains(MigrationLayout.validate)
            ? try loadPlainScripts(folder.child(MigrationLayout.validate), database: database, role: .validator, phase: MigrationLayout.validate)
            : []
        return ScriptSet(folder: folder.display, forward: forward, validators: validators, undo: undo, hasRollbackFolder: hasRollbackFolder)
    }

    private func loadMigrations(
        _ folder: RepositoryFolder, database: DatabaseKind, version: SemanticVersion, phase: String, direction: MigrationFileName.Direction
    ) throws -> [ScriptFile] {
        var files: [ScriptFile] = []
        for name in try folder.entries() {
            let child = folder.child(name)
            if MigrationLayout.isIgnored(name) || child.isDirectory && name.hasPrefix(".") { continue }
            guard !child.isDirectory else {
                throw InputError(file: child.display, "unexpected folder inside \(phase)/; scripts are not searched recursively")
            }
            let parsed: MigrationFileName
            switch database {
            case .postgresql:
                let prefix = direction == .forward ? "V" : "U"
                guard let name = MigrationFileName.flyway(name) else {
                    throw InputError(file: child.display, "file name does not parse; expected \(prefix)\(version.bare).<NNN>__<Description>.sql, e.g. \(prefix)\(version.bare).001__Create_orders.sql")
                }
                guard name.direction == direction else {
                    let expected = direction == .forward ? "a forward file (V…)" : "an undo file (U…)"
                    throw InputError(file: child.display, "\(phase)/ holds \(expected); rename it with the \(prefix) prefix or move it")
                }
                guard let named = name.number.version, named == version else {
                    let named = name.number.version.map { "version \($0.bare)" } ?? "no version"
                    throw InputError(file: child.display, "names \(named), but it sits in the \(version) folder; expected \(prefix)\(version.bare).<NNN>__…")
                }
                parsed = name
            case .mongodb:
                guard let name = MigrationFileName.mongo(name) else {
                    throw InputError(
                        file: child.display,
                        "file name does not parse; expected <NNN>-<description>.json or .js, e.g. 001-create-orders.json or 001-create-orders.js"
                    )
                }
                parsed = name
            }
            try child.requireInsideRepository()
            // A JavaScript file runs its `up` whether it is forward or a rollback file (the seed's
            // `<NNN>-rollback-<description>.js`); a forward file's own `down` is added as its undo by the caller.
            files.append(ScriptFile(
                url: child.url, displayPath: child.display, role: direction == .forward ? .forward : .undo,
                phase: phase, number: parsed.number, summary: parsed.summary,
                entry: database == .mongodb && name.hasSuffix(".js") ? "up" : nil
            ))
        }
        return files
    }

    /// Validators and fixtures: any script of the database's extension, in name order.
    private func loadPlainScripts(_ folder: RepositoryFolder, database: DatabaseKind, role: ScriptFile.Role, phase: String) throws -> [ScriptFile] {
        let fileExtension = MigrationLayout.scriptExtension(database)
        var files: [ScriptFile] = []
        for name in try folder.entries() {
            let child = folder.child(name)
            if MigrationLayout.isIgnored(name) { continue }
            if database == .mongodb, name.hasSuffix(".js") {
                throw InputError(
                    file: child.display,
                    "JavaScript runs as a migration only (forward and rollback folders); \(phase)/ holds Extended JSON arrays of commands (.json)"
                )
            }
            guard !child.isDirectory, name.hasSuffix("." + fileExtension) else {
                throw InputError(file: child.display, "unexpected entry in \(phase)/; expected *.\(fileExtension) files")
            }
            try child.requireInsideRepository()
            files.append(ScriptFile(url: child.url, displayPath: child.display, role: role, phase: phase, number: nil, summary: name))
        }
        return files
    }

    private static let noNumber = MigrationNumber(version: nil, sequence: Int.min)

    private func checkUnique(_ files: [ScriptFile], in folder: RepositoryFolder) throws {
        var seen: [MigrationNumber: ScriptFile] = [:]
        for file in files {
            guard let number = file.number else { continue }
            if let other = seen[number] {
                throw InputError(file: file.displayPath, "has the same number \(number) as \(other.displayPath); each number runs once")
            }
            seen[number] = file
        }
    }
}
