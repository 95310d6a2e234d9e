/// The outcome of one statement sent with the simple query protocol, in text format.
public struct QueryResult: Sendable, Equatable {
    /// Column names; empty for a statement that returns no rows.
    public var columns: [String]
    /// Type OID of each column (`16` is boolean).
    public var columnTypes: [UInt32]
    /// Every row as text, nil for SQL NULL; only the first few, or none, from
    /// ``PostgresConnection/execute(_:keepingRows:)`` and ``PostgresConnection/executeDiscardingRows(_:)``.
    public var rows: [[String?]]
    /// How many rows the statement returned, including those not kept in ``rows``.
    public var rowCount: Int
    /// The command tag, e.g. `CREATE TABLE`, `INSERT 0 3`, `SELECT 1`.
    public var commandStatus: String
    /// True when the statement produced a row set (even an empty one), as a SELECT does.
    public var returnsRows: Bool

    public init(columns: [String] = [], columnTypes: [UInt32] = [], rows: [[String?]] = [], commandStatus: String = "", returnsRows: Bool = false, rowCount: Int? = nil) {
        self.columns = columns
        self.columnTypes = columnTypes
        self.rows = rows
        self.rowCount = rowCount ?? rows.count
        self.commandStatus = commandStatus
        self.returnsRows = returnsRows
    }

    /// Type OID of `boolean`.
    public static let booleanType: UInt32 = 16
}
