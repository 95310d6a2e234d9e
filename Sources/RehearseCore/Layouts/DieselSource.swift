/// Diesel's folder: one sub-folder `<version>_<name>/` per migration holding `up.sql` and, optionally, `down.sql`.
///
/// Folders are ordered as Diesel orders them: by version with `-` removed, in byte order. Each file runs in one
/// transaction unless the folder's `metadata.toml` says `run_in_transaction = false`.
public struct DieselSource: MigrationSource {
    public static let name = "diesel"
    public static let signature = "<version>_<name>/ folders holding up.sql"

    public init() {}

    public static func matches(_ folder: RepositoryFolder) -> Bool {
        folder.entriesOrEmpty.contains { entry in
            version(ofFolder: entry) != nil && folder.child(entry).child("up.sql").isFile
        }
    }

    /// The version of a migration folder name (`2019-01-01-000000` of `2019-01-01-000000_add_users`); nil for a name
    /// that does not start with a digit, so other folders (`fixtures/`, `checks/`) are ignored.
    static func version(ofFolder name: String) -> Substring? {
        guard let first = name.first, first.isASCII, first.isNumber else { return nil }
        return name.prefix { $0 != "_" }
    }

    public func load(_ folder: RepositoryFolder, config: RehearseConfig?) throws -> LoadedRepository {
        var errors: [InputError] = []
        var found: [(key: String, migration: ChainMigration)] = []
        for entry in try folder.entries() where !entry.hasPrefix(".") {
            let directory = folder.child(entry)
            guard directory.isDirectory, let version = Self.version(ofFolder: entry) else { continue }
            guard version.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "-" }), version.count < entry.count - 1 else {
                errors.append(InputError(file: directory.display, "is not a Diesel migration folder name; expected <version>_<name>/, e.g. 2019-01-01-000000_add_users/"))
                continue
            }
            let up = directory.child("up.sql")
            guard up.isFile else {
                errors.append(InputError(file: directory.display, "holds no up.sql; a Diesel migration folder needs up.sql (and down.sql to undo it)"))
                continue
            }
            let inTransaction: Bool
            do {
                inTransaction = try Self.runsInTransaction(directory.child("metadata.toml"))
            } catch let error as InputError {
                errors.append(error)
                continue
            }
            let execution: ExecutionMode = inTransaction ? .transaction : .autocommit
            let summary = entry.dropFirst(version.count + 1).replacingOccurrences(of: "_", with: " ")
            let down = directory.child("down.sql")
            found.append((version.replacingOccurrences(of: "-", with: ""), ChainMigration(
                id: entry, version: String(version), forward: [up.script(.forward, execution: execution, summary: summary)],
                undo: down.isFile ? [down.script(.undo, execution: execution, summary: summary)] : nil,
                location: directory.display, undoLocation: down.display
            )))
        }
        try InputErrors.throwIfAny(errors)
        let ordered = found.enumerated().sorted { lhs, rhs in
            let (left, right) = (Array(lhs.element.key.utf8), Array(rhs.element.key.utf8))
            return left == right ? lhs.offset < rhs.offset : left.lexicographicallyPrecedes(right)
        }.map(\.element)
        var violations: [PolicyViolation] = []
        for (index, item) in ordered.enumerated() {
            if let first = ordered[..<index].first(where: { $0.key == item.key }) {
                violations.append(PolicyViolation(
                    "\(item.migration.location) has version \(item.migration.version ?? ""), as \(first.migration.location) has; Diesel needs unique versions",
                    file: item.migration.location
                ))
            }
        }
        return try ChainBuilder(layout: Self.name, folder: folder, config: config).build(ordered.map(\.migration), violations: violations)
    }

    /// Reads `run_in_transaction` from a folder's `metadata.toml` (one line of TOML; no TOML parser needed).
    ///
    /// - Throws: ``InputError`` naming the file and line when the value is not `true` or `false`.
    static func runsInTransaction(_ metadata: RepositoryFolder) throws -> Bool {
        guard metadata.isFile else { return true }
        var result = true
        var section = ""
        for (index, raw) in try metadata.readText().components(separatedBy: .newlines).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                section = line
                continue
            }
            guard section.isEmpty, !line.hasPrefix("#") else { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, parts[0] == "run_in_transaction" else { continue }
            let value = parts[1].split(separator: "#", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            switch value {
            case "true": result = true
            case "false": result = false
            default:
                throw InputError(file: metadata.display, line: index + 1, "run_in_transaction must be true or false, not `\(value)`")
            }
        }
        return result
    }
}
