/// How the data of two fingerprints differs, per table, with a few rows shown by key.
public struct DataDiff: Sendable, Equatable {
    public struct TableChange: Sendable, Equatable {
        public let table: String
        /// Rendered row differences, at most `rowLimit` of them.
        public let rows: [String]
        /// How many rows differ in all; for a table compared by digest, at least this many (the change in row
        /// count, or 1).
        public let differingRows: Int
        /// True when the table was compared by row count and digest only, so which rows differ is not known.
        public var comparedByDigest = false
    }

    public let tables: [TableChange]

    /// Compares the tables of `before` with the same tables in `after`; a table missing from `after` lost all its rows.
    /// A table that holds no rows on the side where it exists changes no data: its coming or going is the schema
    /// diff's to report (UPchieve's `create_session_metrics_table` down drops an empty table it did not create).
    ///
    /// A digest-only table (``TableData/isDigestOnly``) equals the other side's only when that is digest-only too
    /// with the same row count and digest; otherwise it is reported as changed, without row details.
    public init(from before: DataFingerprint, to after: DataFingerprint, rowLimit: Int = 5, includeNewTables: Bool = true) {
        var changes: [TableChange] = []
        let names = includeNewTables ? Set(before.tables.keys).union(after.tables.keys) : Set(before.tables.keys)
        for name in names.sorted() {
            let old = before.tables[name]
            let new = after.tables[name]
            if old == new || (old?.rowCount ?? 0) == 0 && (new?.rowCount ?? 0) == 0 { continue }
            let shortName = name.hasPrefix("public.") ? String(name.dropFirst("public.".count)) : name
            guard let old else {
                let count = new?.rowCount ?? 0
                changes.append(TableChange(table: name, rows: ["\(shortName): table appeared with \(count) rows"], differingRows: count))
                continue
            }
            guard let new else {
                changes.append(TableChange(table: name, rows: ["\(shortName): table is gone (\(old.rowCount) rows lost)"], differingRows: old.rowCount))
                continue
            }
            if old.isDigestOnly || new.isDigestOnly {
                if old.isDigestOnly, new.isDigestOnly, old.rowCount == new.rowCount, old.digest == new.digest { continue }
                changes.append(TableChange(
                    table: name, rows: ["\(shortName): rows differ (\(old.rowCount) rows -> \(new.rowCount) rows)"],
                    differingRows: max(abs(old.rowCount - new.rowCount), 1), comparedByDigest: true
                ))
                continue
            }
            let rendered = Self.rowChanges(table: shortName, old: old, new: new)
            if rendered.isEmpty { continue }
            changes.append(TableChange(table: name, rows: Array(rendered.prefix(rowLimit)), differingRows: rendered.count))
        }
        self.tables = changes
    }

    public var isEmpty: Bool { tables.isEmpty }

    public var text: String {
        tables.flatMap { change in
            if change.comparedByDigest { return ["table \(change.table): rows differ"] + change.rows.map { "  " + $0 } }
            let more = change.differingRows - change.rows.count
            return ["table \(change.table): \(change.differingRows) row\(change.differingRows == 1 ? "" : "s") differ"]
                + change.rows.map { "  " + $0 }
                + (more > 0 ? ["  … and \(more) more"] : [])
        }.joined(separator: "\n")
    }

    private static func rowChanges(table: String, old: TableData, new: TableData) -> [String] {
        let oldRows = Dictionary(grouping: old.rows, by: \.key)
        let newRows = Dictionary(grouping: new.rows, by: \.key)
        var lines: [String] = []
        for key in Set(oldRows.keys).union(newRows.keys).sorted() {
            let a = oldRows[key] ?? [], b = newRows[key] ?? []
            if a == b { continue }
            if a.count == 1, b.count == 1 {
                let changed = columnChanges(a[0], b[0])
                lines.append("\(table) \(key): " + changed.joined(separator: ", "))
            } else if b.isEmpty {
                lines.append("\(table) \(key): row missing")
            } else if a.isEmpty {
                lines.append("\(table) \(key): row added")
            } else {
                lines.append("\(table) \(key): \(a.count) rows -> \(b.count) rows")
            }
        }
        return lines
    }

    private static func columnChanges(_ a: DataRow, _ b: DataRow) -> [String] {
        var parts: [String] = []
        for (index, column) in a.columns.enumerated() {
            let before = a.values[index]
            guard let after = b.value(of: column) else {
                parts.append("\(column) \(literal(before)) -> (column gone)")
                continue
            }
            if before != after { parts.append("\(column) \(literal(before)) -> \(literal(after))") }
        }
        for column in b.columns where !a.columns.contains(column) {
            parts.append("\(column) (new) = \(literal(b.value(of: column) ?? nil))")
        }
        return parts
    }

    /// `'B-2'` or `NULL`, the way SQL users read values.
    static func literal(_ value: String?) -> String {
        guard let value else { return "NULL" }
        return "'" + value.doubling("'") + "'"
    }
}
