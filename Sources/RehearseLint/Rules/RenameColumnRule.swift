/// `RENAME COLUMN` on an existing table: the application version still running queries the old name and fails
/// from the moment the statement commits until it is redeployed.
struct RenameColumnRule: LintRule {
    let name = "rename-column"
    let severity = LintSeverity.error
    let summary = "`RENAME COLUMN` on an existing table (breaks the running application)"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        guard let rename = statement.node.node("RenameStmt"), rename["renameType"]?.string == "OBJECT_COLUMN",
              let table = TableName(rangeVar: rename["relation"]), context.isExisting(table),
              let old = rename["subname"]?.string, let new = rename["newname"]?.string else { return [] }
        return [LintViolation(
            "RENAME COLUMN \(table).\(old) TO \(new): the version of the application that is running still reads and writes \(old), and fails from this statement until it is redeployed; add \(new), write both columns (a trigger can copy), move reads to \(new), and drop \(old) in a later release"
        )]
    }
}
