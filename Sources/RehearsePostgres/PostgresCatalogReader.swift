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
/// The reader owns no connection: `query` runs one SQL statement on the database to read and
/// returns its rows as text (nil for NULL). The session's `search_path` is pinned while reading
/// and restored afterwards.
struct PostgresCatalogReader {
    private let query: (String) throws -> [[String?]]

    init(query: @escaping (String) throws -> [[String?]]) {
        self.query = query
    }

    /// Reads every object of the database.
    ///
    /// - Throws: whatever `query` throws for a failed statement.
    func snapshot() throws -> SchemaSnapshot {
        try PostgresCatalogSession.pinned(PostgresCatalogSession.snapshotSettings, query: query) {
            var objects: [SnapshotObject] = []
            objects += try read("schemas", Self.schemasSQL, width: 2, Self.schema)
            objects += try read("tables", Self.tablesSQL, width: 12, Self.table)
            objects += try read("columns", Self.columnsSQL, width: 12, Self.column)
            objects += try read("constraints", Self.constraintsSQL, width: 5, Self.constraint)
            objects += try read("indexes", Self.indexesSQL, width: 4, Self.index)
            objects += try read("views", Self.viewsSQL, width: 6, Self.view)
            objects += try read("sequences", Self.sequencesSQL, width: 11, Self.sequence)
            objects += try read("functions", Self.functionsSQL, width: 6, Self.function)
            objects += try read("triggers", Self.triggersSQL, width: 6, Self.trigger)
            objects += try read("types", Self.typesSQL, width: 5, Self.type)
            objects += try read("extensions", Self.extensionsSQL, width: 4, Self.extensionObject)
            objects += try read("policies", Self.policiesSQL, width: 9, Self.policy)
            objects += try read("rules", Self.rulesSQL, width: 5, Self.rule)
            objects += try read("event triggers", Self.eventTriggersSQL, width: 6, Self.eventTrigger)
            return SchemaSnapshot(objects: objects)
        }
    }

    /// Runs one catalog query and maps each row to its object and, when commented, its comment.
    private func read(
        _ name: String, _ sql: String, width: Int,
        _ map: (PostgresCatalogRow) -> (SnapshotObject, comment: String?)
    ) throws -> [SnapshotObject] {
        try query(sql).flatMap { values -> [SnapshotObject] in
            let (object, comment) = map(PostgresCatalogRow(query: name, values: values, width: width))
            guard let comment else { return [object] }
            return [object, Self.comment(comment, on: object)]
        }
    }
}
