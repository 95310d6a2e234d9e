/// A Sqitch project: `sqitch.plan` and its `deploy/`, `revert/` and `verify/` scripts.
///
/// Changes run in plan order. The scripts run as `psql -f` runs them (Sqitch's own scripts hold their
/// `BEGIN … COMMIT`). The earlier occurrence of a reworked change uses the scripts named after a tag that follows
/// it (`deploy/users@v1.0.sql`) and is the subject `users@v1.0`. `sqitch.conf` may move the plan and the script
/// folders; only the PostgreSQL engine is rehearsed.
public struct SqitchSource: MigrationSource {
    public static let name = "sqitch"
    public static let signature = "sqitch.plan"

    public init() {}

    public static func matches(_ folder: RepositoryFolder) -> Bool {
        folder.child("sqitch.plan").isFile
    }

    /// Where the plan and scripts live (`sqitch.conf`'s `[core]` and `[engine "pg"]` settings).
    struct Settings {
        var topDir = "."
        var planFile: String?
        var deployDir: String?
        var revertDir: String?
        var verifyDir: String?
        var fileExtension = "sql"
    }

    public func load(_ folder: RepositoryFolder, config: RehearseConfig?) throws -> LoadedRepository {
        let settings = try Self.settings(folder.child("sqitch.conf"))
        let top = Self.resolve(settings.topDir, in: folder)
        let planFile = settings.planFile.map { Self.resolve($0, in: folder) } ?? top.child("sqitch.plan")
        guard planFile.isFile else {
            throw InputError(file: planFile.display, "no such file; expected the Sqitch plan (sqitch.conf `plan_file`, default <top_dir>/sqitch.plan)")
        }
        let plan = try SqitchPlan.parse(try planFile.readText(), file: planFile.display)
        let deployDir = settings.deployDir.map { Self.resolve($0, in: folder) } ?? top.child("deploy")
        let revertDir = settings.revertDir.map { Self.resolve($0, in: folder) } ?? top.child("revert")
        let verifyDir = settings.verifyDir.map { Self.resolve($0, in: folder) } ?? top.child("verify")
        let suffix = "." + settings.fileExtension

        var errors: [InputError] = []
        var migrations: [ChainMigration] = []
        for (index, change) in plan.changes.enumerated() {
            // A reworked occurrence's scripts are named after the first tag between it and its rework whose deploy
            // script exists (else the first such tag), as Sqitch names them.
            var id = change.name
            if change.isReworked {
                let next = plan.changes[(index + 1)...].firstIndex { $0.name == change.name } ?? plan.changes.endIndex
                let tags = plan.changes[index..<next].flatMap(\.tags)
                let tag = tags.first { Self.script(change.name + "@" + $0 + suffix, in: deployDir).isFile } ?? tags.first
                id = change.name + (tag.map { "@" + $0 } ?? "")
            }
            let deploy = Self.script(id + suffix, in: deployDir)
            let revert = Self.script(id + suffix, in: revertDir)
            let verify = Self.script(id + suffix, in: verifyDir)
            guard deploy.isFile else {
                errors.append(InputError(file: planFile.display, line: change.line, "change `\(id)` has no deploy script; expected \(deploy.display)"))
                continue
            }
            let summary = change.name
            migrations.append(ChainMigration(
                id: id, forward: [deploy.script(.forward, execution: .autocommit, summary: summary)],
                undo: revert.isFile ? [revert.script(.undo, execution: .autocommit, summary: summary)] : nil,
                verify: verify.isFile ? [verify.script(.verify, execution: .autocommit, summary: summary)] : [],
                location: deploy.display, undoLocation: revert.display
            ))
        }
        try InputErrors.throwIfAny(errors)
        var named = config ?? RehearseConfig(displayPath: folder.child("rehearse.yaml").display)
        if named.name?.isEmpty ?? true, let project = plan.project, !project.isEmpty { named.name = project }
        return try ChainBuilder(layout: Self.name, folder: folder, config: named).build(migrations)
    }

    /// A change's script: names may hold `/` (`schema/users`), which are sub-folders.
    private static func script(_ name: String, in directory: RepositoryFolder) -> RepositoryFolder {
        resolve(name, in: directory)
    }

    /// A path relative to `folder`, as `sqitch.conf` writes it.
    private static func resolve(_ path: String, in folder: RepositoryFolder) -> RepositoryFolder {
        var result = folder
        for component in path.split(separator: "/") where component != "." {
            result = result.child(String(component))
        }
        return result
    }

    /// Reads the settings Rehearse needs from `sqitch.conf` (Git-config syntax).
    ///
    /// - Throws: ``InputError`` naming the file and line when the engine is not `pg`.
    static func settings(_ file: RepositoryFolder) throws -> Settings {
        var settings = Settings()
        guard file.isFile else { return settings }
        var core: [String: (value: String, line: Int)] = [:]
        var engine: [String: (value: String, line: Int)] = [:]
        var section = ""
        for (index, raw) in try file.readText().components(separatedBy: .newlines).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), let close = line.firstIndex(of: "]") {
                section = line[line.index(after: line.startIndex)..<close]
                    .replacingOccurrences(of: "\"", with: "").split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
                continue
            }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            var value = parts[1]
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            let key = parts[0].lowercased()
            if section == "core" { core[key] = (value, index + 1) }
            if section == "engine pg" { engine[key] = (value, index + 1) }
        }
        if let name = core["engine"], name.value != "pg" {
            throw InputError(
                file: file.display, line: name.line,
                "engine = \(name.value): Rehearse rehearses Sqitch projects on PostgreSQL only; expected engine = pg"
            )
        }
        func value(_ key: String) -> String? { engine[key]?.value ?? core[key]?.value }
        settings.topDir = value("top_dir") ?? "."
        settings.planFile = value("plan_file")
        settings.deployDir = value("deploy_dir")
        settings.revertDir = value("revert_dir")
        settings.verifyDir = value("verify_dir")
        settings.fileExtension = value("extension") ?? "sql"
        return settings
    }
}
