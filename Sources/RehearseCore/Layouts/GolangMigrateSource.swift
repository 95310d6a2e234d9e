/// golang-migrate's folder: `<N>_<name>.up.sql` and `<N>_<name>.down.sql` pairs, in numeric order of `N`.
///
/// Each file is sent as one query string, as golang-migrate's postgres driver sends it, unless rehearse.yaml
/// says `golang-migrate: {multi_statement: true}` (its `x-multi-statement`: one statement at a time).
public struct GolangMigrateSource: MigrationSource {
    public static let name = "golang-migrate"
    public static let signature = "<N>_<name>.up.sql / <N>_<name>.down.sql files"

    public init() {}

    public static func matches(_ folder: RepositoryFolder) -> Bool {
        folder.entriesOrEmpty.contains { entry in
            guard case .success? = FileName.parse(entry) else { return false }
            return folder.child(entry).isFile
        }
    }

    public func load(_ folder: RepositoryFolder, config: RehearseConfig?) throws -> LoadedRepository {
        var errors: [InputError] = []
        var ups: [String: (file: RepositoryFolder, name: FileName)] = [:]
        var downs: [String: (file: RepositoryFolder, name: FileName)] = [:]
        for entry in try folder.entries() where !entry.hasPrefix(".") {
            let file = folder.child(entry)
            guard file.isFile else { continue }
            switch FileName.parse(entry) {
            case nil: continue
            case let .failure(problem)?: errors.append(InputError(file: file.display, problem.message))
            case let .success(name)?:
                let key = name.number.digits
                if let other = name.isUp ? ups[key] : downs[key] {
                    errors.append(InputError(
                        file: file.display,
                        "has number \(key), as \(other.file.display) has; golang-migrate needs one \(name.isUp ? "up" : "down") file per number"
                    ))
                    continue
                }
                if name.isUp { ups[key] = (file, name) } else { downs[key] = (file, name) }
            }
        }
        for (key, down) in downs where ups[key] == nil {
            errors.append(InputError(file: down.file.display, "is a down migration without an up; expected \(down.name.prefix).up.sql next to it"))
        }
        try InputErrors.throwIfAny(errors.sorted { ($0.file ?? "") < ($1.file ?? "") })

        let execution: ExecutionMode = config?.golangMigrateMultiStatement == true ? .autocommit : .singleQuery
        let migrations = ups.values.sorted { $0.name.number < $1.name.number }.map { up in
            let down = downs[up.name.number.digits]
            let summary = up.name.summary
            return ChainMigration(
                id: up.name.prefix, version: up.name.number.digits,
                forward: [up.file.script(.forward, execution: execution, summary: summary)],
                undo: down.map { [$0.file.script(.undo, execution: execution, summary: summary)] }, location: up.file.display,
                undoLocation: down?.file.display ?? folder.child(up.name.prefix + ".down.sql").display
            )
        }
        return try ChainBuilder(layout: Self.name, folder: folder, config: config).build(migrations)
    }
}

extension GolangMigrateSource {
    /// A migration number, compared as a number of any length.
    public struct Number: Sendable, Hashable, Comparable {
        /// The digits without leading zeros (`"0"` for zero): `13` for `000013`.
        public let digits: String

        public init?(_ text: some StringProtocol) {
            guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            let trimmed = text.drop { $0 == "0" }
            digits = trimmed.isEmpty ? "0" : String(trimmed)
        }

        public static func < (lhs: Number, rhs: Number) -> Bool {
            lhs.digits.count != rhs.digits.count ? lhs.digits.count < rhs.digits.count : lhs.digits < rhs.digits
        }
    }

    /// A golang-migrate file name, `<N>_<name>.up.sql` or `<N>_<name>.down.sql`.
    public struct FileName: Sendable, Equatable {
        public struct Malformed: Error, Sendable, Equatable {
            public let message: String
        }

        public let number: Number
        /// `<N>_<name>` as written: the migration id.
        public let prefix: String
        public let isUp: Bool

        public var summary: String {
            guard let underscore = prefix.firstIndex(of: "_") else { return "" }
            return prefix[prefix.index(after: underscore)...].replacingOccurrences(of: "_", with: " ")
        }

        static let expected = "<N>_<name>.up.sql or <N>_<name>.down.sql, e.g. 000013_add_users.up.sql"

        /// Nil for a file golang-migrate would not read (not `.sql`, or a `.sql` file not starting with a number);
        /// `.failure` for one that looks like a migration but does not parse (`3_x.sql`, `x.up.sql`).
        public static func parse(_ name: String) -> Result<FileName, Malformed>? {
            guard name.hasSuffix(".sql") else { return nil }
            let direction: Bool? = name.hasSuffix(".up.sql") ? true : name.hasSuffix(".down.sql") ? false : nil
            guard let isUp = direction else {
                let digits = name.prefix { $0.isASCII && $0.isNumber }
                guard !digits.isEmpty, name.dropFirst(digits.count).first == "_" else { return nil }
                return .failure(Malformed(message: "has no .up or .down before .sql; expected \(expected)"))
            }
            let prefix = String(name.dropLast(isUp ? ".up.sql".count : ".down.sql".count))
            let digits = prefix.prefix { $0.isASCII && $0.isNumber }
            guard let number = Number(digits), prefix.dropFirst(digits.count).first == "_" else {
                return .failure(Malformed(message: "does not start with a number and an underscore; expected \(expected)"))
            }
            return .success(FileName(number: number, prefix: prefix, isUp: isUp))
        }
    }
}
