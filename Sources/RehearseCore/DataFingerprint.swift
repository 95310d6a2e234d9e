/// Every row of every table (or document of every collection), keyed so two states can be compared
/// regardless of row order; or, digest-only (``ScratchDatabase/dataDigest()``), each table's row count and
/// a digest of its rows, which says whether the data changed but not which rows.
public struct DataFingerprint: Sendable, Equatable, Codable {
    /// Keyed by qualified table or collection name: `public.customers`, `orders`.
    public var tables: [String: TableData]

    public init(tables: [String: TableData] = [:]) {
        self.tables = tables
    }

    /// Only the tables named in `names`; a table missing here stays missing.
    public func restricted(to names: some Sequence<String>) -> DataFingerprint {
        DataFingerprint(tables: tables.filter { Set(names).contains($0.key) })
    }
}

/// The rows of one table, sorted by key so that comparison ignores physical order; or, digest-only, how many
/// rows it holds and a digest of them.
public struct TableData: Sendable, Equatable, Codable {
    /// Columns that identify a row in messages (the primary key, `_id`), or every column when there is none.
    public var keyColumns: [String]
    /// Every row; empty for a digest-only table.
    public private(set) var rows: [DataRow]
    /// How many rows the table holds: `rows.count`, or the server's count for a digest-only table.
    public private(set) var rowCount: Int
    /// An order-independent digest of the table's rows, column names included, set only on a digest-only table
    /// (which holds no `rows`); two digests compare only when the same server computed them.
    public private(set) var digest: String?

    /// A table read in full.
    public init(keyColumns: [String], rows: [DataRow]) {
        self.keyColumns = keyColumns
        // Each row's sort key is built once, not once per comparison. Rows with equal keys are equal rows, so the
        // order among them does not matter.
        self.rows = rows.map { (key: $0.sortKey, row: $0) }.sorted { $0.key < $1.key }.map(\.row)
        self.rowCount = rows.count
        self.digest = nil
    }

    /// A digest-only table: its row count and the digest of its rows, without the rows.
    public init(keyColumns: [String], rowCount: Int, digest: String) {
        self.keyColumns = keyColumns
        self.rows = []
        self.rowCount = rowCount
        self.digest = digest
    }

    /// True when only the count and the digest were read.
    public var isDigestOnly: Bool { digest != nil }
}

/// One row: its key as shown to users (`id=2`) and its values as text (nil for SQL NULL).
public struct DataRow: Sendable, Hashable, Codable {
    public let key: String
    public let columns: [String]
    public let values: [String?]

    public init(key: String, columns: [String], values: [String?]) {
        precondition(columns.count == values.count, "a row needs one value per column")
        self.key = key
        self.columns = columns
        self.values = values
    }

    /// Key first, then the values (NULL sorting first), so equal rows sort together.
    var sortKey: String {
        ([key] + values.map { $0.map { "v" + $0 } ?? "n" }).joined(separator: "\u{1}")
    }

    public func value(of column: String) -> String?? {
        columns.firstIndex(of: column).map { values[$0] }
    }
}
