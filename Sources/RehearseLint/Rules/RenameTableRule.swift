/// `ALTER TABLE … RENAME TO` on an existing table: the running application still queries the old name.
struct RenameTableRule: LintRule {
    let name = "rename-table"
    let severity = LintSeverity.error
    let summary = "`ALTER TABLE … RENAME TO` on an existing table (breaks the running application)"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        guard let rename = statement.node.node("RenameStmt"), rename["renameType"]?.string == "OBJECT_TABLE",
              let table = TableName(rangeVar: rename["relation"]), context.isExisting(table),
              let new = rename["newname"]?.string else { return [] }
        return [LintViolation(
            "RENAME \(table) TO \(new): the version of the application that is running still queries \(table), and fails from this statement until it is redeployed; rename it and leave a view named \(table) behind (a simple view is updatable), then drop the view in a later release"
        )]
    }
}
