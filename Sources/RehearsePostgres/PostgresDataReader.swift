import RehearseCore

/// Reads every row of every user table into a ``DataFingerprint``, keyed so that row order does not matter.
///
/// Ordinary tables and partitioned tables are read, each row with every column as text (nil for
/// NULL); a partitioned table is read through its root, which holds the rows of all its partitions,
/// and an ordinary table `ONLY` by itself, so no row is counted twice through inheritance. Views,
/// members of extensions and the schemas of ``PostgresCatalogExclusions`` are not read.
/// A row is keyed by its primary key (`id=2`, `a=1, b=x`) or, without one, by the whole row.
///
/// The reader owns no connection: `query` runs one SQL statement and returns its rows as text. Output
/// settings (`DateStyle`, `TimeZone`, `extra_float_digits`, `bytea_output`, …) are pinned while reading
/// and restored afterwards, so the text of a value does not depend on what a migration set.
struct PostgresDataReader {
    private let query: (String) throws -> [[String?]]

    init(query: @escaping (String) throws -> [[String?]]) {
        self.query = query
    }

    /// Reads all rows of all tables.
    ///
    /// - Throws: whatever `query` throws for a failed statement.
    func fingerprint() throws -> DataFingerprint {
        try PostgresCatalogSession.pinned(PostgresCatalogSession.fingerprintSettings, query: query) {
            var tables: [String: TableData] = [:]
            for table in try Self.tables(from: query(Self.tablesSQL)) {
                tables[table.name] = try read(table)
            }
            return DataFingerprint(tables: tables)
        }
    }

    /// One table to read: names for display and for SQL (quoted by the server), and its primary key.
    struct Table: Equatable {
        /// `public.customers`.
        var name: String
        /// `public."Customers"`, from `format('%I.%I')`.
        var quotedName: String
        /// `ONLY` for ordinary tables; partitioned tables are read with their partitions.
        var only: Bool
        var columns: [String] = []
        var quotedColumns: [String] = []
        /// Primary key columns in key order; empty without a primary key.
        var keyColumns: [String] = []

        /// `SELECT "id"::text, "name"::text FROM ONLY public.customers`.
        var selectStatement: String {
            let list = quotedColumns.map { "\($0)::text" }.joined(separator: ", ")
            return "SELECT \(list) FROM \(only ? "ONLY " : "")\(quotedName)"
        }
    }

    /// Every user table with its columns, one row per column (a table without columns has one row of NULLs).
    ///
    /// Columns: qualified name, quoted qualified name, relkind, column, quoted column, attnum, position in the primary key.
    static let tablesSQL = """
        SELECT n.nspname || '.' || c.relname, pg_catalog.format('%I.%I', n.nspname, c.relname), c.relkind::text,
               a.attname, pg_catalog.quote_ident(a.attname), a.attnum::text,
               pg_catalog.array_position(pk.indkey::pg_catalog.int2[], a.attnum)::text
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_catalog.pg_index pk ON pk.indrelid = c.oid AND pk.indisprimary
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND \(PostgresCatalogExclusions.userSchema("n.nspname"))
          AND \(PostgresCatalogExclusions.standalone(catalog: "pg_class", oid: "c.oid"))
        ORDER BY 1, a.attnum
        """

    /// Groups the rows of ``tablesSQL`` into tables, columns in `attnum` order and key columns in key order.
    static func tables(from rows: [[String?]]) -> [Table] {
        var tables: [Table] = []
        var keyPositions: [String: [(position: Int, column: String)]] = [:]
        for values in rows {
            let row = PostgresCatalogRow(query: "data tables", values: values, width: 7)
            let name = row.text(0)
            if tables.last?.name != name {
                tables.append(Table(name: name, quotedName: row.text(1), only: row.text(2) == "r"))
            }
            guard let column = row.optional(3) else { continue }
            tables[tables.count - 1].columns.append(column)
            tables[tables.count - 1].quotedColumns.append(row.text(4))
            if let position = row.integer(6) { keyPositions[name, default: []].append((position, column)) }
        }
        for index in tables.indices {
            tables[index].keyColumns = (keyPositions[tables[index].name] ?? []).sorted { $0.position < $1.position }.map(\.column)
        }
        return tables
    }

    private func read(_ table: Table) throws -> TableData {
        let rows = try query(table.selectStatement).map { Self.row($0, of: table) }
        return TableData(keyColumns: table.keyColumns.isEmpty ? table.columns : table.keyColumns, rows: rows)
    }

    /// A row keyed by `id=2` (primary key) or by all its columns: `a=1, b=NULL`.
    static func row(_ values: [String?], of table: Table) -> DataRow {
        let keyColumns = table.keyColumns.isEmpty ? table.columns : table.keyColumns
        let key = keyColumns.map { column -> String in
            let value = table.columns.firstIndex(of: column).flatMap { values[$0] }
            return "\(column)=\(value ?? "NULL")"
        }.joined(separator: ", ")
        return DataRow(key: key.isEmpty ? "()" : key, columns: table.columns, values: values)
    }
}
