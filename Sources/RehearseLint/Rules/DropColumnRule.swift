/// `DROP COLUMN` on an existing table: the running application may still read or write the column, and its data
/// is gone for good.
struct DropColumnRule: LintRule {
    let name = "drop-column"
    let severity = LintSeverity.error
    let summary = "`DROP COLUMN` on an existing table (breaks the running application, loses the data)"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        statement.commands("AT_DropColumn").compactMap { table, command in
            guard context.isExisting(table), let column = command["name"]?.string else { return nil }
            return LintViolation(
                "DROP COLUMN \(table).\(column): the version of the application that is running may still read or write \(column) (an ORM selecting every column fails too), and the data cannot be brought back by a rollback; release an application that no longer uses it first, then drop it in a later migration"
            )
        }
    }
}
