/// Advisory: a `varchar(n)` limit can only be raised by `ALTER COLUMN … TYPE`, which needs no rewrite but waits
/// for an ACCESS EXCLUSIVE lock on the table; a length `CHECK` on `text` can be replaced without one.
struct VarcharGrowthRule: LintRule {
    let name = "varchar-growth"
    let severity = LintSeverity.advisory
    let summary = "`varchar(n)` columns and their widening (raising the limit takes an ACCESS EXCLUSIVE lock; prefer `text` with a `CHECK`)"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        var violations: [LintViolation] = []
        var widened = Set<String>()
        for (table, command) in statement.commands("AT_AlterColumnType") {
            guard context.isExisting(table), let column = command["name"]?.string,
                  let definition = command["def"]?.node("ColumnDef"), definition["raw_default"] == nil,
                  let new = ColumnType(typeName: definition["typeName"]), let old = context.schema.columnType(table, column),
                  new.name == "varchar" || new.name == "text", new.widens(old), new != old else { continue }
            widened.insert("\(table).\(column)")
            violations.append(LintViolation(
                "widening \(table).\(column) from \(old) to \(new) rewrites nothing, but waits for an ACCESS EXCLUSIVE lock on \(table) (an existing table); set lock_timeout before it, and consider text with a CHECK (char_length(\(column)) <= n) NOT VALID, whose limit changes without locking out reads",
                at: definition["typeName"]?.location
            ))
        }
        for (table, column, type, location) in statement.declaredColumns {
            guard type.name == "varchar", let limit = type.modifiers?.first, !widened.contains("\(table).\(column)") else { continue }
            violations.append(LintViolation(
                "\(table).\(column) is varchar(\(limit)): raising the limit later is an ALTER COLUMN … TYPE, which waits for an ACCESS EXCLUSIVE lock on \(table) once it is live; consider text with CHECK (char_length(\(column)) <= \(limit)), which a NOT VALID check can replace without blocking",
                at: location
            ))
        }
        return violations
    }
}
