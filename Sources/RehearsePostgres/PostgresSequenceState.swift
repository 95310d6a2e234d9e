/// Where every sequence of a database stands (`last_value`, `is_called`), to put them back after a rollback.
///
/// `nextval` is not transactional: a second forward or an undo run inside a savepoint and rolled back still
/// advances the sequences it used, so the next step's identity values would differ from a rehearsal on copies.
/// The fast path reads this before a savepoint and restores it after rolling back to it.
struct PostgresSequenceState: Equatable {
    /// oid → (last_value, is_called).
    private(set) var values: [String: (last: String, called: Bool)] = [:]

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.values.keys == rhs.values.keys && lhs.values.allSatisfy { key, value in
            rhs.values[key].map { $0.last == value.last && $0.called == value.called } ?? false
        }
    }

    /// One round trip. A called sequence is read with `pg_sequence_last_value`; an uncalled one (NULL there)
    /// through `query_to_xml`, which reads its own row.
    static let readSQL = """
        SELECT c.oid::pg_catalog.text,
               COALESCE(pg_catalog.pg_sequence_last_value(c.oid)::pg_catalog.text || ' t',
                        (pg_catalog.xpath('/row/last_value/text()', pg_catalog.query_to_xml(
                            pg_catalog.format('SELECT last_value FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::pg_catalog.text
                        || ' f')
        FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'S' AND n.nspname !~ '^pg_(toast_)?temp_'
        """

    /// ``readSQL`` for the sequences this transaction holds a lock on (``PostgresHeldLocks/captured``).
    ///
    /// `nextval` and `setval` lock a sequence for the whole transaction, also when called in a savepoint that is
    /// rolled back (PostgreSQL takes that lock for the top transaction, `lock_and_open_sequence`), and every other
    /// change to one locks it too. So inside a step, a sequence without a lock stands where it stood when the step
    /// began. `pg_sequence_last_value` locks the sequence it reads, so a read inside the step reads only these.
    static let lockedSQL = readSQL + "\n  AND c.oid = ANY (\(PostgresHeldLocks.captured))"

    /// Reads them as one of Rehearse's own prepared reads (``PostgresCatalogSession/pinnedBatch(_:reads:reusable:on:)``).
    static func read(_ connection: PostgresConnection) throws -> PostgresSequenceState {
        try read(readSQL, on: connection)
    }

    /// Inside a step whose sequences stood at `start` when it began: where they stand now, reading only those this
    /// transaction locked (``lockedSQL``).
    ///
    /// Without sequential scans, as the locked digest state reads (``PostgresDataReader/lockedDigestState(reusing:unknown:)``).
    static func read(_ connection: PostgresConnection, since start: PostgresSequenceState) throws -> PostgresSequenceState {
        let read = try PostgresHeldLocks.pinnedBatch(
            PostgresCatalogReader.scopedPlanSettings, reads: [lockedSQL], on: PostgresCatalogSession.Batch(connection)
        )
        // A locked sequence that is not there any more was dropped.
        var state = start
        state.values = state.values.filter { !read.held.contains($0.key) }
        state.values.merge(values(from: read.rows[0])) { _, now in now }
        return state
    }

    /// The oids of the relations this transaction holds a lock on, after the statements of `prefix`, in one round
    /// trip with them: of the sequences, the only ones that may have moved since the step began. Not only those
    /// that exist now: one that `nextval` advanced and a statement then dropped comes back with its advanced value
    /// when the drop is rolled back.
    static func lockedOids(after prefix: String, on connection: PostgresConnection) throws -> Set<String> {
        let rows = try connection.executeQueryString(prefix + "; " + PostgresHeldLocks.relationsSQL).rows
        return Set(rows.compactMap { $0.first ?? nil })
    }

    private static func read(_ sql: String, on connection: PostgresConnection) throws -> PostgresSequenceState {
        var state = PostgresSequenceState()
        state.values = values(from: try PostgresCatalogSession.pinnedBatch([], reads: [sql], reusable: true, on: PostgresCatalogSession.Batch(connection))[0])
        return state
    }

    /// The rows of ``readSQL``: oid → (last_value, is_called).
    private static func values(from rows: [[String?]]) -> [String: (last: String, called: Bool)] {
        var values: [String: (last: String, called: Bool)] = [:]
        for row in rows where row.count == 2 {
            guard let oid = row[0], let value = row[1] else { continue }
            let parts = value.split(separator: " ")
            // Only numbers go back into SQL.
            guard parts.count == 2, Int64(oid) != nil, Int64(parts[0]) != nil else { continue }
            values[oid] = (String(parts[0]), parts[1] == "t")
        }
        return values
    }

    /// Puts back every sequence that moved since it was read (an uncalled one always, since its value cannot be
    /// compared cheaply), of those in `oids` when given; one round trip, none when there are no sequences.
    func restore(on connection: PostgresConnection, only oids: Set<String>? = nil) throws {
        guard let sql = restoreSQL(only: oids) else { return }
        _ = try connection.execute(sql)
    }

    /// The statement of ``restore(on:only:)``; nil when there is nothing to put back.
    func restoreSQL(only oids: Set<String>? = nil) -> String? {
        let chosen = oids.map { oids in values.filter { oids.contains($0.key) } } ?? values
        guard !chosen.isEmpty else { return nil }
        let rows = chosen.sorted { $0.key < $1.key }.map { oid, value in
            "(\(oid)::pg_catalog.oid, \(value.last)::pg_catalog.int8, \(value.called))"
        }
        return """
            SELECT count(pg_catalog.setval(v.o::pg_catalog.regclass, v.l, v.c)) FROM (VALUES \(rows.joined(separator: ", "))) AS v(o, l, c) \
            WHERE NOT v.c OR pg_catalog.pg_sequence_last_value(v.o::pg_catalog.regclass) IS DISTINCT FROM v.l
            """
    }
}
