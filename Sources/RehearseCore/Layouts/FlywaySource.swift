/// Flyway's SQL migrations: `V<version>__<desc>.sql` forward, `U…` undo, `R__…` repeatable, `B…` baseline.
///
/// Flyway scans its locations recursively, so sub-folders are read too; files are ordered by version as Flyway
/// compares versions, not by path. Each file runs in one transaction unless its `<file>.conf` or an in-file
/// `-- flyway:executeInTransaction=false` line says otherwise (``ExecutionMode/transactionUnlessNonTransactional``
/// leaves the rest of Flyway's rule to the runner).
public struct FlywaySource: MigrationSource {
    public static let name = "flyway"
    public static let signature = "V<version>__<desc>.sql files"

    public init() {}

    public static func matches(_ folder: RepositoryFolder) -> Bool {
        folder.entriesOrEmpty.contains { entry in
            guard case let .success(name)? = FileName.parse(entry) else { return false }
            return name.kind == .versioned && folder.child(entry).isFile
        }
    }

    public func load(_ folder: RepositoryFolder, config: RehearseConfig?) throws -> LoadedRepository {
        var errors: [InputError] = []
        var parsed: [(file: RepositoryFolder, name: FileName)] = []
        for file in try folder.filesRecursively() {
            switch FileName.parse(file.name) {
            case nil: continue
            case let .failure(problem)?: errors.append(InputError(file: file.display, problem.message))
            case let .success(name)?: parsed.append((file, name))
            }
        }
        try InputErrors.throwIfAny(errors)

        var seenNames: [String: String] = [:]
        for (file, _) in parsed {
            if let other = seenNames[file.name] {
                errors.append(InputError(file: file.display, "has the same name as \(other); Flyway needs every migration file name to be unique"))
            }
            seenNames[file.name] = file.display
        }
        var undos: [String: RepositoryFolder] = [:]
        var baselines: [ChainBaseline] = []
        var baselineFiles: [String: String] = [:]
        var violations: [PolicyViolation] = []
        let versioned = parsed.compactMap { file, name in
            name.kind == .versioned ? name.version.map { (file: file, name: name, version: $0) } : nil
        }
        let versions = Set(versioned.map(\.version.canonical))
        for (file, name) in parsed {
            guard let version = name.version?.canonical else { continue }
            switch name.kind {
            case .undo:
                if let other = undos[version] {
                    errors.append(InputError(file: file.display, "undoes version \(version), as \(other.display) does; expected one U file per version"))
                } else if !versions.contains(version) {
                    errors.append(InputError(file: file.display, "undoes version \(version), but no V\(version)__<desc>.sql has that version"))
                }
                undos[version] = file
            case .baseline:
                if let other = baselineFiles[version] {
                    errors.append(InputError(file: file.display, "is a second baseline at version \(version) (\(other) is the first)"))
                }
                baselineFiles[version] = file.display
                baselines.append(ChainBaseline(
                    version: version, files: [try script(file, .baseline, name)], label: "baseline \(file.display)"
                ))
            case .versioned, .repeatable: continue
            }
        }
        try InputErrors.throwIfAny(errors)

        var migrations: [ChainMigration] = []
        var byVersion: [String: RepositoryFolder] = [:]
        // A stable sort: files of the same version stay in path order.
        let ordered = versioned.enumerated().sorted { lhs, rhs in
            lhs.element.version == rhs.element.version ? lhs.offset < rhs.offset : lhs.element.version < rhs.element.version
        }
        for (file, name, parsedVersion) in ordered.map(\.element) {
            let version = parsedVersion.canonical
            if let first = byVersion[version] {
                violations.append(PolicyViolation(
                    "\(file.display) has version \(version), as \(first.display) has; Flyway refuses two migrations with one version",
                    file: file.display
                ))
            }
            byVersion[version] = byVersion[version] ?? file
            let undo = undos[version]
            let expectedUndo = undo?.display ?? Self.sibling(of: file, named: "U" + file.name.dropFirst())
            migrations.append(ChainMigration(
                id: file.name.stem, version: version, forward: [try script(file, .forward, name)],
                undo: try undo.map { [try script($0, .undo, name)] }, location: file.display, undoLocation: expectedUndo
            ))
        }
        let repeatables = parsed.filter { $0.name.kind == .repeatable }.sorted {
            Array($0.name.description.utf8).lexicographicallyPrecedes(Array($1.name.description.utf8))
        }
        for (file, name) in repeatables {
            migrations.append(ChainMigration(
                id: file.name.stem, forward: [try script(file, .forward, name)], undo: nil, repeatable: true, location: file.display
            ))
        }
        return try ChainBuilder(layout: Self.name, folder: folder, config: config).build(migrations, baselines: baselines, violations: violations)
    }

    /// The script, with the transaction rule its `.conf` file or its own settings line gives.
    private func script(_ file: RepositoryFolder, _ role: ScriptFile.Role, _ name: FileName) throws -> ScriptFile {
        let text = try file.readText()
        var inTransaction = !RepositoryFolder.text(text, hasLine: "-- flyway:executeInTransaction=false")
        let conf = RepositoryFolder(url: file.url.appendingPathExtension("conf"), display: file.display + ".conf")
        if conf.isFile {
            for (index, line) in try conf.readText().components(separatedBy: .newlines).enumerated() {
                let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, parts[0] == "executeInTransaction" else { continue }
                switch parts[1].lowercased() {
                case "false": inTransaction = false
                case "true": inTransaction = true
                default:
                    throw InputError(file: conf.display, line: index + 1, "executeInTransaction must be true or false, not `\(parts[1])`")
                }
            }
        }
        let summary = name.description.replacingOccurrences(of: "_", with: " ")
        return file.script(role, execution: inTransaction ? .transactionUnlessNonTransactional : .autocommit, summary: summary)
    }

    private static func sibling(of file: RepositoryFolder, named name: String) -> String {
        let display = file.display
        guard let slash = display.lastIndex(of: "/") else { return name }
        return display[...slash] + name
    }
}

extension FlywaySource {
    /// A Flyway version: numeric parts separated by `.` or `_`, compared part by part as numbers (1.10 > 1.9),
    /// with missing parts counting as zero (1 == 1.0), as Flyway's `MigrationVersion` compares them.
    public struct Version: Sendable, Hashable, Comparable, CustomStringConvertible {
        /// The digits of each part without leading zeros (`"0"` for zero).
        public let parts: [String]

        /// Nil unless `text` is digits separated by single `.` or `_`.
        public init?(_ text: some StringProtocol) {
            let split = text.split(omittingEmptySubsequences: false) { $0 == "." || $0 == "_" }
            guard !split.isEmpty, split.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
            parts = split.map { part in
                let digits = part.drop { $0 == "0" }
                return digits.isEmpty ? "0" : String(digits)
            }
        }

        /// The version without trailing zero parts (`1.0` and `1` are both `1`): what baselines are matched by.
        public var canonical: String {
            var parts = parts
            while parts.count > 1, parts.last == "0" { parts.removeLast() }
            return parts.joined(separator: ".")
        }

        public var description: String { canonical }

        public static func == (lhs: Version, rhs: Version) -> Bool { lhs.canonical == rhs.canonical }
        public func hash(into hasher: inout Hasher) { hasher.combine(canonical) }

        public static func < (lhs: Version, rhs: Version) -> Bool {
            for index in 0..<max(lhs.parts.count, rhs.parts.count) {
                let left = index < lhs.parts.count ? lhs.parts[index] : "0"
                let right = index < rhs.parts.count ? rhs.parts[index] : "0"
                if left != right {
                    return left.count != right.count ? left.count < right.count : left < right
                }
            }
            return false
        }
    }

    /// A file name Flyway would read as a migration.
    public struct FileName: Sendable, Equatable {
        public enum Kind: Sendable, Equatable { case versioned, undo, baseline, repeatable }

        /// Why a name that looks like a migration is not one, with the form expected.
        public struct Malformed: Error, Sendable, Equatable {
            public let message: String
        }

        public let kind: Kind
        /// Nil for a repeatable script.
        public let version: Version?
        /// The words after `__`, as written.
        public let description: String

        /// Nil when `name` does not look like a Flyway migration (so the file is ignored); `.failure` when it looks
        /// like one but does not parse (`V1_x.sql`, `V__x.sql`, `Vabc__x.sql`).
        public static func parse(_ name: String) -> Result<FileName, Malformed>? {
            guard name.hasSuffix(".sql"), let first = name.first else { return nil }
            let stem = name.dropLast(".sql".count)
            let second = stem.dropFirst().first
            let kinds: [Character: Kind] = ["V": .versioned, "U": .undo, "B": .baseline, "R": .repeatable]
            guard let kind = kinds[first] else {
                if let upper = kinds.keys.first(where: { Character($0.lowercased()) == first }), second?.isNumber == true {
                    return .failure(Malformed(message: "looks like a Flyway migration but starts with `\(first)`; expected an upper-case `\(upper)`, e.g. \(upper)\(name.dropFirst())"))
                }
                return nil
            }
            guard second == "_" || second?.isNumber == true || stem.contains("__") else { return nil }
            guard let separator = stem.range(of: "__") else {
                return .failure(Malformed(message: "does not separate the version from the description with two underscores; expected \(Self.expected(kind))"))
            }
            let versionText = stem[stem.index(after: stem.startIndex)..<separator.lowerBound]
            let description = String(stem[separator.upperBound...])
            if kind == .repeatable {
                guard versionText.isEmpty, !description.isEmpty else {
                    return .failure(Malformed(message: "a repeatable migration has no version; expected \(Self.expected(kind))"))
                }
                return .success(FileName(kind: kind, version: nil, description: description))
            }
            guard let version = Version(versionText) else {
                let problem = versionText.isEmpty ? "has no version" : "has version `\(versionText)`, which is not numbers separated by . or _"
                return .failure(Malformed(message: "\(problem); expected \(Self.expected(kind))"))
            }
            return .success(FileName(kind: kind, version: version, description: description))
        }

        static func expected(_ kind: Kind) -> String {
            switch kind {
            case .versioned: "V<version>__<description>.sql, e.g. V2__add_email.sql or V1.1__add_email.sql"
            case .undo: "U<version>__<description>.sql, the undo of the V file with that version, e.g. U2__add_email.sql"
            case .baseline: "B<version>__<description>.sql, e.g. B3__baseline.sql"
            case .repeatable: "R__<description>.sql, e.g. R__refresh_views.sql"
            }
        }
    }
}
