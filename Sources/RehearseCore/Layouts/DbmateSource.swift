/// dbmate's folder: `<version>_<name>.sql` files, each holding a `-- migrate:up` half and a `-- migrate:down` half.
///
/// dbmate (since 2.0) refuses a file without its `-- migrate:down` line, so that is an input error here too; an
/// empty down half is allowed, and fails `rollback` as an empty undo. Both halves are scripts of the same file, told apart by ``ScriptFile/section`` so that a failure keeps the
/// file's own line numbers. Each half runs in one transaction unless its marker says `transaction:false`.
public struct DbmateSource: MigrationSource {
    public static let name = "dbmate"
    public static let signature = "<version>_<name>.sql files holding `-- migrate:up`"

    public init() {}

    public static func matches(_ folder: RepositoryFolder) -> Bool {
        folder.entriesOrEmpty.contains { entry in
            let file = folder.child(entry)
            guard version(ofFile: entry) != nil, file.isFile, let bytes = try? file.readBytes() else { return false }
            return Halves.markers(in: bytes).contains { $0.isUp }
        }
    }

    /// The leading digits of a `.sql` file name (dbmate's `^(\d+).*\.sql$`); nil for any other file.
    static func version(ofFile name: String) -> GolangMigrateSource.Number? {
        guard name.hasSuffix(".sql") else { return nil }
        return GolangMigrateSource.Number(name.prefix { $0.isASCII && $0.isNumber })
    }

    public func load(_ folder: RepositoryFolder, config: RehearseConfig?) throws -> LoadedRepository {
        var errors: [InputError] = []
        var found: [(version: GolangMigrateSource.Number, migration: ChainMigration)] = []
        for entry in try folder.entries() where !entry.hasPrefix(".") {
            let file = folder.child(entry)
            guard let version = Self.version(ofFile: entry), file.isFile else { continue }
            let halves: Halves
            do {
                halves = try Halves(try file.readBytes(), file: file.display)
            } catch let error as InputError {
                errors.append(error)
                continue
            }
            let summary = entry.stem.drop { $0.isASCII && $0.isNumber }.drop { $0 == "_" }.replacingOccurrences(of: "_", with: " ")
            let forward = file.script(.forward, execution: halves.upInTransaction ? .transaction : .autocommit, summary: summary, section: halves.up)
            let undo = file.script(.undo, execution: halves.downInTransaction ? .transaction : .autocommit, summary: summary, section: halves.down)
            found.append((version, ChainMigration(
                id: entry.stem, version: version.digits, forward: [forward], undo: [undo], location: file.display,
                undoLocation: file.display + " (-- migrate:down)"
            )))
        }
        try InputErrors.throwIfAny(errors)
        let ordered = found.enumerated().sorted { lhs, rhs in
            lhs.element.version == rhs.element.version ? lhs.offset < rhs.offset : lhs.element.version < rhs.element.version
        }.map(\.element)
        var violations: [PolicyViolation] = []
        for (index, item) in ordered.enumerated() {
            if let first = ordered[..<index].first(where: { $0.version == item.version }) {
                violations.append(PolicyViolation(
                    "\(item.migration.location) has version \(item.version.digits), as \(first.migration.location) has; dbmate needs unique versions",
                    file: item.migration.location
                ))
            }
        }
        return try ChainBuilder(layout: Self.name, folder: folder, config: config).build(ordered.map(\.migration), violations: violations)
    }
}

extension DbmateSource {
    /// Where the two halves of a dbmate file lie, as dbmate's own parser finds them.
    public struct Halves: Sendable, Equatable {
        /// From the `-- migrate:up` line to the `-- migrate:down` line (or the end).
        public let up: Range<Int>
        /// From the `-- migrate:down` line to the end.
        public let down: Range<Int>
        public let upInTransaction: Bool
        public let downInTransaction: Bool

        /// A marker line: where it starts, which half it opens, and its `transaction:` option.
        struct Marker {
            let offset: Int
            let line: Int
            let isUp: Bool
            let inTransaction: Bool
        }

        /// Finds the halves.
        ///
        /// - Throws: ``InputError`` naming `file` (and line) when a marker is missing (pointing at a marker that is
        ///   indented, which dbmate reads as a comment), the down marker comes first, or a statement stands before
        ///   the up marker.
        public init(_ bytes: [UInt8], file: String) throws {
            let markers = Self.markers(in: bytes)
            guard let up = markers.first(where: \.isUp) else {
                throw Self.missing("up", bytes: bytes, file: file, "a dbmate migration is `-- migrate:up`, its SQL, then `-- migrate:down` and the SQL that undoes it")
            }
            guard let down = markers.first(where: { !$0.isUp }) else {
                throw Self.missing("down", bytes: bytes, file: file, "dbmate refuses a migration without one; an empty down half is allowed")
            }
            if down.offset < up.offset {
                throw InputError(file: file, line: down.line, "`-- migrate:down` comes before `-- migrate:up` (line \(up.line)); dbmate expects the up half first")
            }
            for (index, line) in Self.lines(of: bytes).enumerated() where line.offset < up.offset {
                let text = line.text.trimmingCharacters(in: .whitespaces)
                if !text.isEmpty, !text.hasPrefix("--") {
                    throw InputError(file: file, line: index + 1, "has SQL before `-- migrate:up` (line \(up.line)); dbmate runs nothing outside the two halves")
                }
            }
            self.up = up.offset..<down.offset
            self.down = down.offset..<bytes.count
            upInTransaction = up.inTransaction
            downInTransaction = down.inTransaction
        }

        /// A file without its `-- migrate:<half>` line. A formatter that re-indents SQL also indents the markers
        /// (UPchieve's `lint all sql files` did), and dbmate then reads them as comments: the error names that line.
        private static func missing(_ half: String, bytes: [UInt8], file: String, _ rule: String) -> InputError {
            let indented = lines(of: bytes).enumerated().first { _, line in
                let text = line.text.drop { $0 == " " || $0 == "\t" }
                return text.count < line.text.count && markers(in: Array(text.utf8)).contains { $0.isUp == (half == "up") }
            }
            guard let (index, _) = indented else {
                return InputError(file: file, "has no `-- migrate:\(half)` line; \(rule)")
            }
            return InputError(
                file: file, line: index + 1,
                "has no `-- migrate:\(half)` line: this one is indented, and dbmate only reads a marker at the start of a line, so it takes it for a comment and the SQL after it for more of the previous half; \(rule)"
            )
        }

        /// Every `-- migrate:up` / `-- migrate:down` line (dbmate's `^--\s*migrate:(up|down)(\s|$)`).
        static func markers(in bytes: [UInt8]) -> [Marker] {
            var markers: [Marker] = []
            for (index, line) in lines(of: bytes).enumerated() {
                guard line.text.hasPrefix("--") else { continue }
                let rest = line.text.dropFirst(2).drop { $0 == " " || $0 == "\t" }
                for (word, isUp) in [("migrate:up", true), ("migrate:down", false)] where rest.hasPrefix(word) {
                    let options = rest.dropFirst(word.count)
                    guard options.isEmpty || options.first == " " || options.first == "\t" else { continue }
                    let pairs = options.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.split(separator: ":", omittingEmptySubsequences: false) }
                    let inTransaction = !pairs.contains { $0.count == 2 && $0[0] == "transaction" && $0[1] == "false" }
                    markers.append(Marker(offset: line.offset, line: index + 1, isUp: isUp, inTransaction: inTransaction))
                }
            }
            return markers
        }

        /// The lines of `bytes` with the byte offset each starts at (without `\r\n` or `\n`).
        static func lines(of bytes: [UInt8]) -> [(offset: Int, text: String)] {
            var lines: [(offset: Int, text: String)] = []
            var start = 0
            while start <= bytes.count {
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                var content = bytes[start..<end]
                if content.last == UInt8(ascii: "\r") { content = content.dropLast() }
                var text = String(decoding: content, as: UTF8.self)
                if start == 0, text.first == "\u{FEFF}" { text.removeFirst() }
                lines.append((start, text))
                start = end + 1
            }
            return lines
        }
    }
}
