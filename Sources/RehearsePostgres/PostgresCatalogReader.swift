import RehearseCore

/// Reads a PostgreSQL database's schema from `pg_catalog` into a ``SchemaSnapshot``.
///
/// One ``SnapshotObject`` per schema, table, column, constraint, index, view, materialized view,
/// sequence, function, procedure, aggregate, trigger, type, extension, policy, rule and event trigger, plus a `comment`
/// object for each of them that has a comment. Objects of `pg_*` schemas and `information_schema`,
/// members of extensions and internal parts of other objects are left out
/// (see ``PostgresCatalogExclusions``). Names are qualified so that they are unique within a kind
/// (`public.users.email`, `public.add(integer, integer)`); definitions read as SQL a reviewer knows.
///
/// The reader owns no connection: it sends its statements through a ``PostgresCatalogSession/Batch``. A snapshot
/// is one round trip: the session's `search_path` pinned, the fourteen catalog queries, and the pin undone, all in
/// one batch (see ``PostgresCatalogSession/pinnedBatch(_:reads:on:)``), inside or outside a transaction block.
struct PostgresCatalogReader {
    private let session: PostgresCatalogSession.Batch

    init(session: PostgresCatalogSession.Batch) {
        self.session = session
    }

    init(connection: PostgresConnection) {
        self.init(session: PostgresCatalogSession.Batch(connection))
    }

    /// One catalog query: its name for messages, its SQL, its width and how a row becomes an object.
    struct Read {
        var name: String
        var sql: String
        var width: Int
        var map: (PostgresCatalogRow) -> Mapped
        /// For the objects that belong to one relation (or are one type): the SQL expression of that relation's (or
        /// type's) oid. Their query ends
        /// with two more columns than `width`, the owner's oid and the oids of the other catalog rows each object is
        /// drawn from (an index's own, a default's, a child table's parents), so that a snapshot inside a step can
        /// read again only the relations that may have changed (``PostgresCatalogScope``).
        var owner: String? = nil

        /// The query restricted to the relations and types named by ``PostgresCatalogScope/setting``; nil for one that
        /// reads objects of no relation (schemas, functions, extensions, …), which is always read whole.
        var scoped: String? {
            owner.map { "\(sql) AND \($0) = ANY (pg_catalog.current_setting('\(PostgresCatalogScope.setting)')::pg_catalog.oid[])" }
        }
    }

    /// One object as read, with the relation it belongs to (nil for those of no relation) and its other keys.
    struct Owned {
        var object: SnapshotObject
        var owner: UInt32?
        var keys: [UInt32]
    }

    /// Every catalog query, in the order the snapshot lists their objects.
    static var reads: [Read] {
        [
            Read(name: "schemas", sql: schemasSQL, width: 2, map: schema),
            Read(name: "tables", sql: tablesSQL, width: 12, map: table, owner: "c.oid"),
            Read(name: "columns", sql: columnsSQL, width: 12, map: column, owner: "c.oid"),
            Read(name: "constraints", sql: constraintsSQL, width: 5, map: constraint, owner: "k.conrelid"),
            Read(name: "indexes", sql: indexesSQL, width: 4, map: index, owner: "i.indrelid"),
            Read(name: "views", sql: viewsSQL, width: 6, map: view, owner: "c.oid"),
            Read(name: "sequences", sql: sequencesSQL, width: 11, map: sequence, owner: "s.seqrelid"),
            Read(name: "functions", sql: functionsSQL, width: 6, map: function),
            Read(name: "triggers", sql: triggersSQL, width: 6, map: trigger, owner: "t.tgrelid"),
            Read(name: "types", sql: typesSQL, width: 5, map: type, owner: "t.oid"),
            Read(name: "extensions", sql: extensionsSQL, width: 4, map: extensionObject),
            Read(name: "policies", sql: policiesSQL, width: 9, map: policy),
            Read(name: "rules", sql: rulesSQL, width: 5, map: rule, owner: "r.ev_class"),
            Read(name: "event triggers", sql: eventTriggersSQL, width: 6, map: eventTrigger),
        ]
    }

    /// Reads every object of the database in one round trip.
    ///
    /// - Throws: ``PostgresBatchFailure`` naming the statement that failed.
    func snapshot() throws -> SchemaSnapshot {
        SchemaSnapshot(objects: try ownedObjects().objects.map(\.object))
    }

    /// Which objects a read returns.
    enum Selection {
        /// Every object.
        case whole
        /// The objects of no relation, and those of the relations a leading statement put into
        /// ``PostgresCatalogScope/setting``.
        case scopedByServer
        /// Only the objects of these relations.
        case relations([UInt32])
    }

    /// Planner settings for scoped reads and the closure before them, which look a few relations up by oid.
    ///
    /// Their statements are prepared once per session, and a statement without parameters keeps the plan of its
    /// first run: made on the small catalog of the first steps, it scanned `pg_constraint`, `pg_index`, … whole,
    /// and kept scanning them as a history grew to thousands of relations. Without sequential scans the planner
    /// looks each oid up by index, at any size. A scan it cannot avoid (of `pg_namespace`, say) then costs more than
    /// `jit_above_cost`, and compiling it took 100 ms: so no JIT.
    static let scopedPlanSettings: [(name: String, value: String)] = [("enable_seqscan", "off"), ("jit", "off")]

    /// Objects with their owners and keys, in one round trip, after `leading` statements whose rows come back
    /// first.
    ///
    /// - Throws: ``PostgresBatchFailure`` naming the statement that failed.
    func ownedObjects(_ selection: Selection = .whole, leading: [String] = [], settings extra: [(name: String, value: String)] = []) throws -> (leading: [[[String?]]], objects: [Owned]) {
        var settings = PostgresCatalogSession.snapshotSettings + extra
        var reads = Self.reads
        var sql: [String]
        switch selection {
        case .whole:
            sql = reads.map(\.sql)
        case .scopedByServer:
            sql = reads.map { $0.scoped ?? $0.sql }
            settings += Self.scopedPlanSettings
        case .relations(let oids):
            reads = reads.filter { $0.owner != nil }
            sql = reads.compactMap(\.scoped)
            settings.append((PostgresCatalogScope.setting, PostgresCatalogScope.literal(oids)))
            settings += Self.scopedPlanSettings
        }
        let results = try PostgresCatalogSession.pinnedBatch(settings, reads: leading + sql, reusable: true, on: session)
        let objects = zip(reads, results.dropFirst(leading.count)).flatMap { Self.owned($0.0, rows: $0.1) }
        return (Array(results.prefix(leading.count)), objects)
    }

    /// The snapshot as it was read before batching: settings saved, set and restored statement by statement and
    /// one round trip per catalog query (of `reads`, by default today's). Kept so that a test can prove
    /// ``snapshot()`` reads exactly the same.
    func snapshotQueryByQuery(reads: [Read] = Self.reads) throws -> SchemaSnapshot {
        try PostgresCatalogSession.pinned(PostgresCatalogSession.snapshotSettings, query: session.query) {
            SchemaSnapshot(objects: try reads.flatMap { Self.owned($0, rows: try session.query($0.sql)).map(\.object) })
        }
    }

    /// Maps each row of one catalog query to its object and, when commented, its comment (which has the same owner).
    private static func owned(_ read: Read, rows: [[String?]]) -> [Owned] {
        rows.flatMap { values -> [Owned] in
            var values = values
            var owner: UInt32?
            var keys: [UInt32] = []
            if read.owner != nil {
                let keyText = values.removeLast() ?? ""
                owner = values.removeLast().flatMap { UInt32($0) }
                keys = keyText.split(separator: " ").compactMap { UInt32($0) }
            }
            let (object, comment) = read.map(PostgresCatalogRow(query: read.name, values: values, width: read.width))
            let first = Owned(object: object, owner: owner, keys: keys)
            guard let comment else { return [first] }
            return [first, Owned(object: Self.comment(comment, on: object), owner: owner, keys: keys)]
        }
    }
}
