/// `ADD COLUMN … NOT NULL` without a default on an existing table: the existing rows have no value for it, so
/// the statement fails as soon as the table holds a row.
struct AddRequiredColumnRule: LintRule {
    let name = "add-required-column"
    let severity = LintSeverity.error
    let summary = "`ADD COLUMN … NOT NULL` without a default on an existing table (fails once the table holds rows)"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        statement.addedColumns.compactMap { table, column in
            guard context.isExisting(table), let columnName = column["colname"]?.string else { return nil }
            let kinds = Set(LintStatement.constraints(of: column).compactMap { $0["contype"]?.string })
            let required = kinds.contains("CONSTR_NOTNULL") || kinds.contains("CONSTR_PRIMARY")
            let filled = !kinds.isDisjoint(with: ["CONSTR_DEFAULT", "CONSTR_IDENTITY", "CONSTR_GENERATED"])
                || AddColumnVolatileDefaultRule.serialTypes.contains(column["typeName"]?["names"]?.names.last ?? "")
            guard required, !filled else { return nil }
            return LintViolation(
                "ADD COLUMN \(table).\(columnName) NOT NULL without a default: the rows \(table) (an existing table) already holds have no value for it, so the statement fails on any table that is not empty; add the column nullable, backfill it in batches, then SET NOT NULL after a CHECK (\(columnName) IS NOT NULL) NOT VALID + VALIDATE CONSTRAINT",
                at: column.location
            )
        }
    }
}
