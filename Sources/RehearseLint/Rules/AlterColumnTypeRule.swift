/// `ALTER COLUMN … TYPE` on an existing table that rewrites it: every type change but the binary-coercible
/// widenings (a longer `varchar`, `varchar` to `text`, more `numeric` precision) rewrites the table and rebuilds
/// its indexes under an ACCESS EXCLUSIVE lock.
struct AlterColumnTypeRule: LintRule {
    let name = "alter-column-type"
    let severity = LintSeverity.error
    let summary = "`ALTER COLUMN … TYPE` on an existing table that rewrites it (every change but a widening of `varchar`/`numeric`)"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        statement.commands("AT_AlterColumnType").compactMap { table, command in
            guard context.isExisting(table), let column = command["name"]?.string,
                  let definition = command["def"]?.node("ColumnDef"), let new = ColumnType(typeName: definition["typeName"])
            else { return nil }
            let old = context.schema.columnType(table, column)
            let using = definition["raw_default"] != nil
            if let old, !using, new.widens(old) { return nil }
            let change = old.map { "from \($0) to \(new)" } ?? "to \(new)"
            let verdict = old == nil && !using
                ? "lint does not know its current type; unless this only widens a varchar or numeric, PostgreSQL rewrites"
                : "PostgreSQL rewrites"
            return LintViolation(
                "ALTER COLUMN \(table).\(column) TYPE \(change): \(verdict) \(table) (an existing table) and rebuilds its indexes under an ACCESS EXCLUSIVE lock, blocking reads and writes throughout; add a new column of the new type, keep it filled with a trigger, backfill it in batches, then switch the application over and drop the old column in a later release",
                at: definition["typeName"]?.location ?? definition.location
            )
        }
    }
}
