import Foundation
import RehearseCore

/// Reads every row of every user table into a ``DataFingerprint``, keyed so that row order does not matter, or
/// only a count and a digest of each table's rows (``dataDigest()``).
///
/// Ordinary tables and partitioned tables are read, each row with every column as text (nil for
/// NULL); a partitioned table is read through its root, which holds the rows of all its partitions,
/// and an ordinary table `ONLY` by itself, so no row is counted twice through inheritance. Views,
/// members of extensions and the schemas of ``PostgresCatalogExclusions`` are not read.
/// A row is keyed by its primary key (`id=2`, `a=1, b=x`) or, without one, by the whole row.
///
/// The reader owns no connection: it sends its statements through a ``PostgresCatalogSession/Batch``. Output
/// settings (`DateStyle`, `TimeZone`, `extra_float_digits`, `bytea_output`, …) are pinned while reading and
/// undone afterwards, so the text of a value does not depend on what a migration set.
///
/// ``fingerprint()`` takes two round trips: the list of tables, then one `SELECT` per table, all in one batch.
/// (A one-trip version, each table's rows built into one JSON value on the server and sent through `query_to_xml`,
/// measured slower: building and decoding the JSON cost more than the round trip it saved.) ``dataDigest()`` takes
/// one: each table's count and digest are small, so one statement computes them all on the server, running one
/// query per table through `query_to_xml(query, …)`, the one built-in that runs a query given as text and returns
/// its result as a value (it needs no libxml: it only writes text).
struct PostgresDataReader {
    private let session: PostgresCatalogSession.Batch

    init(session: PostgresCatalogSession.Batch) {
        self.session = session
    }

    init(connection: PostgresConnection) {
        self.init(session: PostgresCatalogSession.Batch(connection))
    }

    /// Reads all rows of all tables in two round trips: the tables, then every table's `SELECT` in one batch.
    ///
    /// - Throws: ``PostgresBatchFailure`` for a failed statement.
    func fingerprint() throws -> DataFingerprint {
        let settings = PostgresCatalogSession.fingerprintSettings
        let tables = Self.tables(from: try PostgresCatalogSession.pinnedBatch(settings, reads: [Self.tablesSQL], reusable: true, on: session)[0])
        let results = try PostgresCatalogSession.pinnedBatch(settings, reads: tables.map(\.selectStatement), on: session)
        var data: [String: TableData] = [:]
        for (table, rows) in zip(tables, results) {
            data[table.name] = TableData(keyColumns: table.keyColumns.isEmpty ? table.columns : table.keyColumns, rows: rows.map { Self.row($0, of: table) })
        }
        return DataFingerprint(tables: data)
    }

    /// The fingerprint as it was read before batching: settings saved, set and restored statement by statement,
    /// one query listing the tables and one `SELECT` per table. Kept so that a test can prove ``fingerprint()``
    /// reads exactly the same.
    func fingerprintQueryByQuery() throws -> DataFingerprint {
        try PostgresCatalogSession.pinned(PostgresCatalogSession.fingerprintSettings, query: session.query) {
            var tables: [String: TableData] = [:]
            for table in Self.tables(from: try session.query(Self.tablesSQL)) {
                let rows = try session.query(table.selectStatement).map { Self.row($0, of: table) }
                tables[table.name] = TableData(keyColumns: table.keyColumns.isEmpty ? table.columns : table.keyColumns, rows: rows)
            }
            return DataFingerprint(tables: tables)
        }
    }

    /// Each table's row count and a digest of its rows, without the rows, in one round trip: a digest-only
    /// ``DataFingerprint`` (see ``TableData/digest``).
    ///
    /// The digest is `sum(hashtextextended(row, seed))` over the table's rows, as an exact `numeric` sum, where `row`
    /// is the JSON array of the row's `::text` values (the same text the full fingerprint compares, null for
    /// NULL, so `NULL` and `''` differ) and `seed` is the hash of the table's column names in order, so renaming,
    /// adding or reordering columns changes every row's hash. A sum does not depend on row order and counts a
    /// duplicated row twice, so equal data (as the full fingerprint sees it) always gives equal digests.
    /// Different data gives the same (count, digest) only if the changed rows' 64-bit hashes happen to sum to the
    /// same value: about one chance in 2^64 for data that is not built to collide, which migrations are not.
    /// The hash is the server's own (PostgreSQL 11 or later), so digests compare only within one server.
    ///
    /// - Throws: ``PostgresBatchFailure`` for a failed statement; ``PostgresError`` when the server's answer cannot be read.
    func dataDigest() throws -> DataFingerprint {
        let results = try PostgresCatalogSession.pinnedBatch(PostgresCatalogSession.fingerprintSettings, reads: [Self.tablesSQL, Self.digestSQL], reusable: true, on: session)
        let digests = try Self.digests(from: results[1])
        var tables: [String: TableData] = [:]
        for table in Self.tables(from: results[0]) {
            guard let digest = digests[table.name] else {
                throw PostgresError(kind: .server, message: "the server listed table \(table.name) but returned no digest for it")
            }
            tables[table.name] = TableData(keyColumns: table.keyColumns.isEmpty ? table.columns : table.keyColumns, rowCount: digest.count, digest: digest.digest)
        }
        return DataFingerprint(tables: tables)
    }

    /// One table's state for ``PostgresDigestCache``: its file and kind always; its columns and primary key
    /// (`full`) unless it was named as a reuse candidate and nothing says they may have changed; this
    /// transaction's counts; whether it must be read again anyway; whether it has a column of a user-defined type
    /// (nil when `full` was not read); whether the change log names it.
    struct DigestState {
        var oid: String
        var light: String
        var full: String?
        var counts: String
        var volatile: Bool
        var userTyped: Bool?
        var logged: Bool
    }

    /// Every table's ``DigestState``, in one round trip, with the change log as it stands (nil when the step keeps
    /// none). The columns and primary key, the costly part, are read for every table but those in `reusing`; for
    /// those, only when the change log names the table or it has inheritance parents or children (whose columns
    /// change with the parent's).
    ///
    /// - Throws: ``PostgresBatchFailure`` or ``PostgresError`` from the server.
    func digestState(reusing: [String] = []) throws -> (states: [String: DigestState], log: String?) {
        let settings = PostgresCatalogSession.fingerprintSettings + [(Self.digestReuseSetting, "{" + reusing.joined(separator: ",") + "}")]
        let results = try PostgresCatalogSession.pinnedBatch(
            settings, reads: [PostgresChangeLog.readSQL, Self.digestStateSQL], reusable: true, on: session
        )
        return (Self.digestStates(from: results[1]), results[0].first?.first ?? nil)
    }

    /// ``digestState(reusing:)`` of only the tables this transaction holds a lock on and those of `unknown`, with the
    /// oids of every relation it holds a lock on: one round trip.
    ///
    /// It runs without sequential scans (``PostgresCatalogReader/scopedPlanSettings``): planned once per session on
    /// the small catalog of the first steps, it scanned all of `pg_class` for the few locked tables, every call, as a
    /// history grew (0.26 ms a call at 100 migrations, 0.43 ms at 1 000).
    ///
    /// - Throws: ``PostgresBatchFailure`` or ``PostgresError`` from the server.
    func lockedDigestState(reusing: [String], unknown: [String]) throws -> (states: [String: DigestState], log: String?, locked: Set<String>) {
        let settings = PostgresCatalogSession.fingerprintSettings + PostgresCatalogReader.scopedPlanSettings + [
            (Self.digestReuseSetting, "{" + reusing.joined(separator: ",") + "}"),
            (Self.digestUnknownSetting, "{" + unknown.joined(separator: ",") + "}"),
        ]
        let read = try PostgresHeldLocks.pinnedBatch(settings, reads: [PostgresChangeLog.readSQL, Self.lockedDigestStateSQL], on: session)
        return (Self.digestStates(from: read.rows[1]), read.rows[0].first?.first ?? nil, read.held)
    }

    /// The rows of ``digestStateSQL``, by table name.
    private static func digestStates(from rows: [[String?]]) -> [String: DigestState] {
        var states: [String: DigestState] = [:]
        for values in rows {
            let row = PostgresCatalogRow(query: "data digest state", values: values, width: 8)
            states[row.text(0)] = DigestState(
                oid: row.text(1), light: row.text(2), full: row.values[3], counts: row.text(4), volatile: row.flag(5),
                userTyped: row.values[6].map { $0 == "t" || $0 == "true" }, logged: row.flag(7)
            )
        }
        return states
    }

    /// The setting, local to one read, naming tables ``lockedDigestStateSQL`` reads though unlocked: an `oid[]` literal.
    static let digestUnknownSetting = "rehearse.digest_unknown"

    /// ``digestStateSQL`` for the tables locked (``PostgresHeldLocks/captured``) and those of
    /// ``digestUnknownSetting``: one array, so that the read starts from an index lookup of those tables, not from
    /// every table.
    static let lockedDigestStateSQL = digestStateSQL.replacingOccurrences(
        of: "\n)\nSELECT t.name,",
        with: """

                  AND c.oid = ANY (pg_catalog.array_cat(\(PostgresHeldLocks.captured),
                                                        pg_catalog.current_setting('\(digestUnknownSetting)')::pg_catalog.oid[]))
            )
            SELECT t.name,
            """
    )

    /// The columns and keys (as ``tablesSQL`` reads them) and the count and digest (as ``dataDigest()`` reads them)
    /// of the tables whose oids are given, in one round trip; nothing when `oids` is empty.
    ///
    /// - Throws: ``PostgresBatchFailure`` for a failed statement; ``PostgresError`` when the server's answer cannot be read.
    func digests(ofTables oids: [String]) throws -> (tables: [Table], digests: [String: (count: Int, digest: String)]) {
        guard !oids.isEmpty else { return ([], [:]) }
        let settings = PostgresCatalogSession.fingerprintSettings + [(Self.digestTablesSetting, "{" + oids.joined(separator: ",") + "}")]
        let results = try PostgresCatalogSession.pinnedBatch(settings, reads: [Self.chosenTablesSQL, Self.chosenDigestSQL], reusable: true, on: session)
        return (Self.tables(from: results[0]), try Self.digests(from: results[1]))
    }

    /// The setting, local to one read, that tells ``chosenDigestSQL`` which tables to digest: an `oid[]` literal.
    static let digestTablesSetting = "rehearse.digest_tables"

    /// The condition that keeps the tables named by ``digestTablesSetting``.
    private static let chosenTables = "AND c.oid = ANY (pg_catalog.current_setting('\(digestTablesSetting)')::pg_catalog.oid[])"

    /// ``digestSQL`` for the tables named by ``digestTablesSetting`` only; a fixed text, so it is prepared once.
    static let chosenDigestSQL = digestSQL + "\n  " + chosenTables

    /// ``tablesSQL`` for the tables named by ``digestTablesSetting`` only.
    static let chosenTablesSQL = tablesSQL.replacingOccurrences(of: "\nORDER BY 1, a.attnum", with: "\n  \(chosenTables)\nORDER BY 1, a.attnum")

    /// The setting, local to one read, naming the tables whose columns ``digestStateSQL`` may leave unread.
    static let digestReuseSetting = "rehearse.digest_reuse"

    /// One row per table: name, oid, file and kind, columns with types and positions and the primary key (NULL for
    /// a table of ``digestReuseSetting`` that the change log does not name and that has no inheritance), this
    /// transaction's inserted/updated/deleted counts, whether the table must be read again anyway (see
    /// ``PostgresDigestCache``) besides a column of a user type, whether it has one (NULL with the columns), and
    /// whether the change log names it.
    static let digestStateSQL = """
        WITH logged AS (
            SELECT objid FROM (\(PostgresChangeLog.entriesSQL(of: PostgresChangeLog.currentText))) AS entries
            WHERE classid = 'pg_catalog.pg_class'::pg_catalog.regclass
        ), tables AS (
            SELECT n.nspname || '.' || c.relname AS name, c.oid, c.relfilenode, c.relkind, c.xmin AS row_xmin,
                   c.oid IN (SELECT objid FROM logged) AS logged,
                   -- Hashed lookups: a list searched once per table would cost tables × candidates.
                   (c.oid NOT IN (SELECT pg_catalog.unnest(pg_catalog.current_setting('\(digestReuseSetting)')::pg_catalog.oid[]))
                    OR c.oid IN (SELECT objid FROM logged)
                    OR c.relhassubclass
                    OR c.oid IN (SELECT i.inhrelid FROM pg_catalog.pg_inherits i)) AS full_needed
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
              AND \(PostgresCatalogExclusions.userSchema("n.nspname"))
              AND \(PostgresCatalogExclusions.standalone(catalog: "pg_class", oid: "c.oid"))
        )
        SELECT t.name, t.oid::pg_catalog.text, t.relfilenode::pg_catalog.text || ' ' || t.relkind::pg_catalog.text,
               CASE WHEN t.full_needed THEN COALESCE(cols.signature, '')
                   || ' key ' || COALESCE((SELECT pk.indkey::pg_catalog.text FROM pg_catalog.pg_index pk
                                           WHERE pk.indrelid = t.oid AND pk.indisprimary), '') END,
               pg_catalog.pg_stat_get_xact_tuples_inserted(t.oid)::pg_catalog.text || '/'
                   || pg_catalog.pg_stat_get_xact_tuples_updated(t.oid)::pg_catalog.text || '/'
                   || pg_catalog.pg_stat_get_xact_tuples_deleted(t.oid)::pg_catalog.text,
               (t.relkind = 'p' OR pg_catalog.age(t.row_xmin) <= 0 OR pg_catalog.current_setting('track_counts') <> 'on'
                OR COALESCE(cols.user_typed, false))::pg_catalog.text,
               CASE WHEN t.full_needed THEN COALESCE(cols.user_typed, false)::pg_catalog.text END,
               t.logged::pg_catalog.text
        FROM tables t
        LEFT JOIN LATERAL (
            -- Every type a user created (a domain, an enum, an array of either, an extension's) has an oid from 16384.
            SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname) || ':' || a.atttypid::pg_catalog.text || ':'
                       || a.atttypmod::pg_catalog.text || ':' || a.attnum::pg_catalog.text, ',' ORDER BY a.attnum) AS signature,
                   pg_catalog.bool_or(a.atttypid >= 16384) AS user_typed
            FROM pg_catalog.pg_attribute a
            WHERE t.full_needed AND a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
        ) cols ON true
        """

    /// The rows of ``digestSQL``: by table name, its count and digest.
    ///
    /// - Throws: ``PostgresError`` when a row's XML cannot be read.
    static func digests(from rows: [[String?]]) throws -> [String: (count: Int, digest: String)] {
        var digests: [String: (count: Int, digest: String)] = [:]
        for values in rows {
            let row = PostgresCatalogRow(query: "data digests", values: values, width: 2)
            let xml = row.text(1)
            guard let count = xmlElement(countColumn, in: xml).flatMap({ Int($0) }), let digest = xmlElement(digestColumn, in: xml) else {
                throw PostgresError(kind: .server, message: "the digest of \(row.text(0)) could not be read from the server's answer: \(xml.prefix(200))")
            }
            digests[row.text(0)] = (count, digest)
        }
        return digests
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

    /// The tables read, as the `FROM … WHERE` of a query on `pg_class c` and `pg_namespace n`: ordinary and
    /// partitioned tables that are not partitions, in user schemas, not members of an extension.
    private static let tableSelection = """
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND \(PostgresCatalogExclusions.userSchema("n.nspname"))
          AND \(PostgresCatalogExclusions.standalone(catalog: "pg_class", oid: "c.oid"))
        """

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

    /// An expression giving the text `ARRAY["id"::text, "name"::text]::pg_catalog.text[]` for the table `c`, columns
    /// in `attnum` order, to build each table's query from; an array constructor has no argument limit, unlike
    /// `json_build_array`.
    private static let textArraySQL = """
        'ARRAY[' || COALESCE((SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname) || '::text', ', ' ORDER BY a.attnum)
                              FROM pg_catalog.pg_attribute a
                              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '') || ']::pg_catalog.text[]'
        """

    /// `FROM ONLY public."Customers"` for an ordinary table, `FROM public.events` for a partitioned one.
    private static let fromSQL = """
        'FROM ' || CASE WHEN c.relkind = 'r' THEN 'ONLY ' ELSE '' END || pg_catalog.format('%I.%I', n.nspname, c.relname)
        """

    static let countColumn = "rehearse_count"
    static let digestColumn = "rehearse_digest"

    /// Every user table's row count and digest (see ``dataDigest()``), one row per table. Columns: qualified name, the
    /// `query_to_xml` of a query returning `rehearse_count` and `rehearse_digest`.
    static let digestSQL = """
        SELECT n.nspname || '.' || c.relname,
               pg_catalog.query_to_xml(
                   'SELECT pg_catalog.count(*) AS \(countColumn), COALESCE(pg_catalog.sum(pg_catalog.hashtextextended('
                       || 'pg_catalog.to_json(' || \(textArraySQL) || ')::pg_catalog.text, '
                       || pg_catalog.hashtextextended(
                              ARRAY(SELECT a.attname::pg_catalog.text FROM pg_catalog.pg_attribute a
                                    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum)::pg_catalog.text, 0)
                       || ')), 0) AS \(digestColumn) '
                       || \(fromSQL),
                   false, true, '')::pg_catalog.text
        \(tableSelection)
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

    /// A row keyed by `id=2` (primary key) or by all its columns: `a=1, b=NULL`.
    static func row(_ values: [String?], of table: Table) -> DataRow {
        let keyColumns = table.keyColumns.isEmpty ? table.columns : table.keyColumns
        let key = keyColumns.map { column -> String in
            let value = table.columns.firstIndex(of: column).flatMap { values[$0] }
            return "\(column)=\(value ?? "NULL")"
        }.joined(separator: ", ")
        return DataRow(key: key.isEmpty ? "()" : key, columns: table.columns, values: values)
    }

    // MARK: - Reading the server's answer

    /// The unescaped text of the first `<name>…</name>` in `xml`, as `query_to_xml` writes a column: its value
    /// escaped by `escape_xml` (`&amp;`, `&lt;`, `&gt;`, `&#x0d;`), so that no `<` occurs inside.
    ///
    /// Searches the C string with `strstr` (PostgreSQL text holds no NUL).
    static func xmlElement(_ name: String, in xml: String) -> String? {
        xml.withCString { base -> String? in
            guard let open = strstr(base, "<\(name)>") else { return nil }
            let start = open + "<\(name)>".utf8.count
            guard let end = strstr(start, "</\(name)>") else { return nil }
            return start.withMemoryRebound(to: UInt8.self, capacity: end - start) {
                unescapedXML(UnsafeBufferPointer(start: $0, count: end - start))
            }
        }
    }

    /// Undoes PostgreSQL's `escape_xml` in one pass over the bytes.
    static func unescapedXML(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard let base = bytes.baseAddress, memchr(base, Int32(UInt8(ascii: "&")), bytes.count) != nil else {
            return String(decoding: bytes, as: UTF8.self)
        }
        let entities: [(text: [UInt8], byte: UInt8)] = [
            (Array("&amp;".utf8), UInt8(ascii: "&")), (Array("&lt;".utf8), UInt8(ascii: "<")),
            (Array("&gt;".utf8), UInt8(ascii: ">")), (Array("&#x0d;".utf8), 13),
        ]
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        scanning: while index < bytes.count {
            if bytes[index] == UInt8(ascii: "&") {
                for entity in entities where index + entity.text.count <= bytes.count
                    && memcmp(base + index, entity.text, entity.text.count) == 0 {
                    output.append(entity.byte)
                    index += entity.text.count
                    continue scanning
                }
            }
            output.append(bytes[index])
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }
}
