import Foundation

/// The layouts Rehearse knows, and how a path is matched to one (DESIGN.md, "Repository layouts").
public enum MigrationSources {
    /// Every source, in detection order: the first whose ``MigrationSource/matches(_:)`` holds wins.
    public static let all: [Layout] = [
        Layout(PrimarySource.self),
        Layout(FlywaySource.self),
        Layout(GolangMigrateSource.self),
        Layout(DieselSource.self),
        Layout(DbmateSource.self),
        Layout(SqitchSource.self),
        Layout(MigrateMongoSource.self),
    ]

    /// One known layout, with its source's static requirements captured (calls on `any MigrationSource.Type`
    /// crash Swift 6.3's SILGen).
    public struct Layout: Sendable {
        public let name: String
        public let signature: String
        public let matches: @Sendable (RepositoryFolder) -> Bool
        public let load: @Sendable (RepositoryFolder, RehearseConfig?) throws -> LoadedRepository

        public init<Source: MigrationSource>(_ source: Source.Type) {
            name = Source.name
            signature = Source.signature
            matches = { Source.matches($0) }
            load = { try Source().load($0, config: $1) }
        }
    }

    /// Folders searched below PATH when PATH itself matches no layout.
    public static let conventionalFolders = [
        "migrations", "db/migrations", "db/migration", "src/main/resources/db/migration", "sql",
    ]

    public static func source(named name: String) -> Layout? {
        all.first { $0.name == name }
    }

    /// Reads `path` with the layout `layout` names, else the one `rehearse.yaml` names, else the detected one.
    ///
    /// - Throws: ``InputError`` for a path that does not exist or matches no layout (listing the layouts),
    ///   an unknown layout name, or anything wrong inside the repository.
    public static func load(path: String, layout: String? = nil) throws -> LoadedRepository {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let shown = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw InputError(file: shown, "no such file or directory; expected a migration repository")
        }
        guard isDirectory.boolValue else {
            throw InputError(file: shown, "is a file; expected a migration repository folder")
        }
        let top = RepositoryFolder(url: url, display: shown)
        var config = try RehearseConfigParser.load(in: top)
        if let name = layout ?? config?.layout {
            guard let source = source(named: name) else {
                let line = layout == nil ? config?.lines["layout"] : nil
                throw InputError(
                    file: layout == nil ? config?.displayPath : "--layout", line: line,
                    "unknown layout `\(name)`; Rehearse knows \(all.map(\.name).joined(separator: ", "))"
                )
            }
            let folder = source.matches(top) ? top : (conventional(below: top) { source.matches($0) } ?? top)
            if config == nil, folder != top { config = try RehearseConfigParser.load(in: folder) }
            return try source.load(folder, named(config, top: top, folder: folder))
        }
        for source in all where source.matches(top) {
            return try source.load(top, config)
        }
        for source in all {
            if let folder = conventional(below: top, where: { source.matches($0) }) {
                if config == nil { config = try RehearseConfigParser.load(in: folder) }
                return try source.load(folder, named(config, top: top, folder: folder))
            }
        }
        let known = all.map { "  \($0.name): \($0.signature)" }.joined(separator: "\n")
        throw InputError(
            file: shown,
            "matches no layout Rehearse knows (nor do its \(conventionalFolders.map { $0 + "/" }.joined(separator: ", "))); expected one of:\n\(known)\nor name one with --layout"
        )
    }

    /// The config, knowing PATH's folder name when the chain was found in a conventional folder below it
    /// (DESIGN.md: a chain suite is named after PATH, not after `db/migrations`).
    private static func named(_ config: RehearseConfig?, top: RepositoryFolder, folder: RepositoryFolder) -> RehearseConfig? {
        guard folder != top else { return config }
        var named = config ?? RehearseConfig(displayPath: top.child("rehearse.yaml").display)
        named.repositoryName = named.repositoryName ?? top.url.standardizedFileURL.lastPathComponent
        return named
    }

    private static func conventional(below top: RepositoryFolder, where matches: (RepositoryFolder) -> Bool) -> RepositoryFolder? {
        for path in conventionalFolders {
            var folder = top
            for component in path.split(separator: "/") { folder = folder.child(String(component)) }
            if folder.isDirectory, matches(folder) { return folder }
        }
        return nil
    }
}
