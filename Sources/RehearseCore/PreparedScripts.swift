/// Every script of a repository, parsed before any server starts, looked up by file.
public struct PreparedScripts: Sendable {
    private var byPath: [String: PreparedScript] = [:]

    public init() {}

    /// Parses every script of `database` in `project` with `parser`.
    ///
    /// - Throws: the parser's ``InputError`` for the first file that cannot be parsed.
    public mutating func prepare(project: Project, database: DatabaseKind, with parser: some ScriptParser) throws {
        for version in project.versions {
            var files = version.installs[database]?.allFiles ?? []
            files += version.upgrades.filter { $0.database == database }.flatMap(\.scripts.allFiles)
            files += version.fixtures[database] ?? []
            for file in files where byPath[Self.key(file)] == nil {
                byPath[Self.key(file)] = try parser.prepare(file)
            }
        }
    }

    public subscript(file: ScriptFile) -> PreparedScript {
        guard let script = byPath[Self.key(file)] else {
            preconditionFailure("\(file.displayPath) was not prepared before the rehearsal")
        }
        return script
    }

    public var count: Int { byPath.count }

    /// A JavaScript file is two scripts: its `up` (forward) and its `down` (the undo).
    private static func key(_ file: ScriptFile) -> String {
        file.entry.map { file.displayPath + "#" + $0 } ?? file.displayPath
    }
}
