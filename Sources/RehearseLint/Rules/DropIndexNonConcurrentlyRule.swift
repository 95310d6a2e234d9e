/// `DROP INDEX` without `CONCURRENTLY` on an index of an existing table: it waits for, and then holds, an ACCESS
/// EXCLUSIVE lock on the table.
struct DropIndexNonConcurrentlyRule: LintRule {
    let name = "drop-index-non-concurrently"
    let severity = LintSeverity.error
    let summary = "`DROP INDEX` on an existing table's index without `CONCURRENTLY` (ACCESS EXCLUSIVE lock on the table)"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        guard statement.kind == "DropStmt", statement.body["removeType"]?.string == "OBJECT_INDEX",
              statement.body["concurrent"]?.bool != true else { return [] }
        return statement.droppedNames.compactMap(\.last).compactMap { index in
            if context.schema.isNewIndex(index) { return nil }
            let table = context.schema.table(ofIndex: index)
            if let table, !context.isExisting(table) { return nil }
            // An index lint never saw created, in a migration that starts from an empty database, is not there.
            if table == nil, context.schema.startsEmpty { return nil }
            let on = table.map { "\($0) (an existing table)" } ?? "its table (which an earlier migration created)"
            return LintViolation(
                "DROP INDEX \(index) waits for and holds an ACCESS EXCLUSIVE lock on \(on), blocking reads and writes behind it; use DROP INDEX CONCURRENTLY, outside a transaction"
            )
        }
    }
}
