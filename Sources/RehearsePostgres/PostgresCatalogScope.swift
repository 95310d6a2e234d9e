/// Which relations a snapshot inside the step must read again, given the snapshot before it and the change log
/// (``PostgresChangeLog``); the objects of every other relation are taken from the earlier snapshot.
///
/// An object's text can change in three ways, and the scope covers each:
/// - a command changed the object or its relation: the log names it, and the object's owner (its table, for an
///   index, constraint, trigger, rule or default) is read again;
/// - an object it is drawn from was renamed or changed (a column's type, a view's table, a key's referenced
///   table, a default's sequence, a trigger's function, a partition's parent): the object depends on it in
///   `pg_depend`, so everything that depends on a logged object, however indirectly, is read again;
/// - the dependency itself went away (a partition detached, a default dropped with its sequence): the earlier
///   snapshot kept, with each object, the oids it was drawn from, so an object whose oids the log names is read
///   again even when nothing depends on them any more.
///
/// Both logs count, the one the earlier snapshot was read at and today's: what either names may differ between the
/// two moments, and everything else is as the transaction found it in both. Schemas, functions, types, extensions,
/// policies (which name roles, which no event trigger sees) and event triggers are always read whole. The whole
/// snapshot is read instead when a logged object is a schema or an extension (a rename moves everything in it,
/// a member added or dropped leaves no dependency behind).
///
/// One round trip does it as a rule: the closure is the batch's first statement and sets the scope for the scoped
/// reads after it, with the relations drawn from the earlier log's objects added by the client beforehand. Only when
/// today's log or the closure names an oid that earlier objects of a relation outside that scope were drawn from
/// (a dropped default, a detached partition's parent) does a second read fetch those relations.
enum PostgresCatalogScope {
    /// The setting, local to one read, that names the relations to read again: an `oid[]` literal.
    static let setting = "rehearse.snapshot_scope"
    /// The setting, local to one read, that holds the earlier snapshot's log entries for ``closureSQL``.
    static let earlierSetting = "rehearse.snapshot_earlier_changes"
    /// The setting, local to one read, with relations ``closureSQL`` adds to the scope: an `oid[]` literal.
    static let extraSetting = "rehearse.snapshot_extra_scope"

    /// `{16384,16390}`.
    static func literal(_ oids: [UInt32]) -> String {
        "{" + oids.map(String.init).joined(separator: ",") + "}"
    }

    /// Today's log, and the owners of everything that depends on an object of either log (the objects themselves
    /// included) together with the relations of ``extraSetting``, space-separated; these are also put into
    /// ``setting`` for the scoped reads that follow in the same batch.
    ///
    /// The `OFFSET 0` keeps each step of the recursion an index lookup in `pg_depend` (by referenced object): the
    /// planner, which cannot know how few objects a step reaches, otherwise hashed them and scanned all of
    /// `pg_depend` once per level, which grew with the schema (3.8 ms against 0.5 ms at 1 600 relations).
    static let closureSQL = """
        WITH RECURSIVE logged(classid, objid) AS (
            SELECT DISTINCT classid, objid FROM (\(PostgresChangeLog.entriesSQL(
                of: "pg_catalog.concat(\(PostgresChangeLog.currentText), ' ', pg_catalog.current_setting('\(earlierSetting)'))"
            ))) AS entries
        ), reach(classid, objid) AS (
            SELECT classid, objid FROM logged
            UNION
            SELECT d.classid, d.objid FROM reach r CROSS JOIN LATERAL (
                SELECT d.classid, d.objid FROM pg_catalog.pg_depend d WHERE d.refclassid = r.classid AND d.refobjid = r.objid OFFSET 0
            ) AS d
        ), owners(oid) AS (
            SELECT r.objid FROM reach r WHERE r.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
            UNION \(ownerLookup("pg_class", "i.indrelid", from: "pg_catalog.pg_index i", where: "i.indexrelid = r.objid"))
            UNION \(ownerLookup("pg_constraint", "k.conrelid", from: "pg_catalog.pg_constraint k", where: "k.oid = r.objid AND k.conrelid <> 0"))
            UNION \(ownerLookup("pg_trigger", "t.tgrelid", from: "pg_catalog.pg_trigger t", where: "t.oid = r.objid"))
            UNION \(ownerLookup("pg_rewrite", "w.ev_class", from: "pg_catalog.pg_rewrite w", where: "w.oid = r.objid"))
            UNION \(ownerLookup("pg_attrdef", "ad.adrelid", from: "pg_catalog.pg_attrdef ad", where: "ad.oid = r.objid"))
            UNION \(ownerLookup("pg_type", "ty.typrelid", from: "pg_catalog.pg_type ty", where: "ty.oid = r.objid AND ty.typrelid <> 0"))
            -- The types a snapshot shows own their objects too: one reached itself, a composite type through its
            -- relation (by pg_class.reltype: pg_type has no index on typrelid), a domain through its constraint.
            UNION \(ownerLookup("pg_type", "ty.oid", from: "pg_catalog.pg_type ty", where: "ty.oid = r.objid AND \(PostgresCatalogReader.shownType("ty"))"))
            UNION \(ownerLookup("pg_class", "c.reltype", from: "pg_catalog.pg_class c", where: "c.oid = r.objid AND c.relkind = 'c'"))
            UNION \(ownerLookup("pg_constraint", "k.contypid", from: "pg_catalog.pg_constraint k", where: "k.oid = r.objid AND k.contypid <> 0"))
        ), scope(oid) AS (
            SELECT oid FROM owners
            UNION SELECT pg_catalog.unnest(pg_catalog.current_setting('\(extraSetting)')::pg_catalog.oid[])
        )
        SELECT \(PostgresChangeLog.currentText),
               (SELECT pg_catalog.string_agg(oid::text, ' ') FROM scope),
               pg_catalog.set_config('\(setting)', '{' || COALESCE((SELECT pg_catalog.string_agg(oid::text, ',') FROM scope), '') || '}', true)
        """

    /// The owners of the reached objects of `catalog`: `column` of the row of `from` that `condition` finds for each.
    ///
    /// A lookup per reached object, by index: the closure is prepared once per session and keeps its first plan,
    /// and a join there, planned on the small catalog of the first steps, went on scanning or merging all of
    /// `pg_type` as a history grew (0.3 ms a snapshot at 1 000 migrations). `OFFSET 0` keeps the lookup a
    /// subquery run per object, and scoped reads run without sequential scans (``PostgresCatalogReader/scopedPlanSettings``).
    private static func ownerLookup(_ catalog: String, _ column: String, from table: String, where condition: String) -> String {
        """
        SELECT o.oid FROM reach r CROSS JOIN LATERAL (SELECT \(column) AS oid FROM \(table) WHERE \(condition) OFFSET 0) AS o
                WHERE r.classid = 'pg_catalog.\(catalog)'::pg_catalog.regclass
        """
    }

    /// The catalogs whose objects, when logged, make the next snapshot a whole one: `pg_namespace` and
    /// `pg_extension`, whose oids are fixed in PostgreSQL's source (`catalog/pg_namespace.h`, `pg_extension.h`).
    static let wholeSnapshotCatalogs: Set<UInt32> = [2615, 3079]

    /// The oid of `pg_class` (`catalog/pg_class.h`): the change log's class of relations.
    static let relationCatalog: UInt32 = 1259

    /// Whether `statement` may write into PostgreSQL's catalog tables itself (`UPDATE pg_catalog.pg_attribute …`,
    /// also inside a function body or a `DO` block): no event trigger sees that, so a database that ran such a
    /// statement reads every later snapshot whole.
    /// It runs on every statement of every applied file, so the regular expression only sees the few with `pg_`.
    static func mayWriteCatalog(_ statement: String) -> Bool {
        statement.containsIgnoringASCIICase("pg_") && statement.range(of: #"(?i)\b(update|insert\s+into|delete\s+from|truncate|copy)\s+(only\s+)?("?pg_catalog"?\s*\.\s*)?"?pg_[a-z_]+"#, options: .regularExpression) != nil
    }

    /// Whether a logged object makes the snapshot a whole one (a schema or an extension).
    static func needsWholeSnapshot(_ logged: some Sequence<PostgresChangeLog.Entry>) -> Bool {
        logged.contains { wholeSnapshotCatalogs.contains($0.classid) }
    }

    /// The relations whose earlier objects were drawn from one of `oids` (logged objects, or relations read again),
    /// less those in `scope` already.
    static func drawnFrom(_ oids: some Sequence<UInt32>, in earlier: PostgresSnapshotCache, besides scope: Set<UInt32> = []) -> Set<UInt32> {
        var hit: Set<UInt32> = []
        for oid in oids { hit.formUnion(earlier.owners(drawnFrom: oid)) }
        return hit.subtracting(scope)
    }
}
