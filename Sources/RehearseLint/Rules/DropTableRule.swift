/// `DROP TABLE` of an existing table: the running application may still query it, and its rows are gone.
struct DropTableRule: LintRule {
    let name = "drop-table"
    let severity = LintSeverity.error
    let summary = "`DROP TABLE` of an existing table (breaks the running application, loses the data)"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        guard statement.kind == "DropStmt", statement.body["removeType"]?.string == "OBJECT_TABLE" else { return [] }
        return statement.droppedNames.compactMap(TableName.init(names:)).filter(context.isExisting).map { table in
            LintViolation(
                "DROP TABLE \(table): the version of the application that is running may still query \(table), and its rows cannot be brought back by a rollback; release an application that no longer uses it first (renaming it aside for a while shows who still does), then drop it in a later migration"
            )
        }
    }
}
