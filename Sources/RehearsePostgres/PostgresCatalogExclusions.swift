/// What the catalog snapshot and the data fingerprint never read.
///
/// This is the one place that says which schemas are not the user's: every `pg_*` schema
/// (`pg_catalog`, `pg_toast*`, `pg_temp*`, `pg_toast_temp*` — PostgreSQL reserves the prefix),
/// `information_schema`, and whatever Rehearse keeps for itself. Rehearse has no bookkeeping
/// tables today; if it ever gets some, they go into a schema named here so that no check
/// mistakes them for a change made by a migration.
enum PostgresCatalogExclusions {
    /// Schemas left out by name, besides every schema starting with `pg_`.
    static let schemas: [String] = ["information_schema"]

    /// A SQL condition that holds for schemas the user owns; `column` is a `name` or `text` expression.
    static func userSchema(_ column: String) -> String {
        let list = schemas.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }.joined(separator: ", ")
        return "(\(column) !~ '^pg_' AND \(column) <> ALL (ARRAY[\(list)]::pg_catalog.name[]))"
    }

    /// A SQL condition that holds when the object `oid` of `catalog` (`pg_class`, `pg_proc`, …) stands on its own.
    ///
    /// Left out are members of an extension (dependency `e`: the extension is in the snapshot, its
    /// contents are not the migration's) and internal parts of another object (dependency `i`: the
    /// index behind a primary key, the sequence behind an identity column, a range type's
    /// constructors), which the snapshot shows through the object that owns them. A partitioned
    /// table depends internally on itself; that does not make it a part of something else.
    ///
    /// `byIndex` keeps it a lookup per object in `pg_depend`'s index (`OFFSET 0`), for a query whose plan must not
    /// hash all of `pg_depend`, which grows with a history.
    static func standalone(catalog: String, oid: String, byIndex: Bool = false) -> String {
        """
        NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep \
        WHERE dep.classid = 'pg_catalog.\(catalog)'::pg_catalog.regclass AND dep.objid = \(oid) AND dep.deptype IN ('e', 'i') \
        AND NOT (dep.refclassid = dep.classid AND dep.refobjid = dep.objid)\(byIndex ? " OFFSET 0" : ""))
        """
    }
}
