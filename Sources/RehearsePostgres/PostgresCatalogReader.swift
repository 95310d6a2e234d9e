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
    }

    /// Every catalog query, in the order the snapshot lists their objects.
    static var reads: [Read] {
        [
            Read(name: "schemas", sql: schemasSQL, width: 2, map: schema),
            Read(name: "tables", sql: tablesSQL, width: 12, map: table),
            Read(name: "columns", sql: columnsSQL, width: 12, map: column),
            Read(name: "constraints", sql: constraintsSQL, width: 5, map: constraint),
            Read(name: "indexes", sql: indexesSQL, width: 4, map: index),
            Read(name: "views", sql: viewsSQL, width: 6, map: view),
            Read(name: "sequences", sql: sequencesSQL, width: 11, map: sequence),
            Read(name: "functions", sql: functionsSQL, width: 6, map: function),
            Read(name: "triggers", sql: triggersSQL, width: 6, map: trigger),
            Read(name: "types", sql: typesSQL, width: 5, map: type),
            Read(name: "extensions", sql: extensionsSQL, width: 4, map: extensionObject),
            Read(name: "policies", sql: policiesSQL, width: 9, map: policy),
            Read(name: "rules", sql: rulesSQL, width: 5, map: rule),
            Read(name: "event triggers", sql: eventTriggersSQL, width: 6, map: eventTrigger),
        ]
    }

    /// Reads every object of the database in one round trip.
    ///
    /// - Throws: ``PostgresBatchFailure`` naming the statement that failed.
    func snapshot() throws -> SchemaSnapshot {
        let reads = Self.reads
        let results = try PostgresCatalogSession.pinnedBatch(PostgresCatalogSession.snapshotSettings, reads: reads.map(\.sql), reusable: true, on: session)
        return SchemaSnapshot(objects: zip(reads, results).flatMap { Self.objects($0.0, rows: $0.1) })
    }

    /// The snapshot as it was read before batching: settings saved, set and restored statement by statement and
    /// one round trip per catalog query (of `reads`, by default today's). Kept so that a test can prove
    /// ``snapshot()`` reads exactly the same.
    func snapshotQueryByQuery(reads: [Read] = Self.reads) throws -> SchemaSnapshot {
        try PostgresCatalogSession.pinned(PostgresCatalogSession.snapshotSettings, query: session.query) {
            SchemaSnapshot(objects: try reads.flatMap { Self.objects($0, rows: try session.query($0.sql)) })
        }
    }

    /// Maps each row of one catalog query to its object and, when commented, its comment.
    private static func objects(_ read: Read, rows: [[String?]]) -> [SnapshotObject] {
        rows.flatMap { values -> [SnapshotObject] in
            let (object, comment) = read.map(PostgresCatalogRow(query: read.name, values: values, width: read.width))
            guard let comment else { return [object] }
            return [object, Self.comment(comment, on: object)]
        }
    }
}
