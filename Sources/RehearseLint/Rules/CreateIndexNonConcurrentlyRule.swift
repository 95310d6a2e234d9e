/// `CREATE INDEX` on an existing table without `CONCURRENTLY`: its SHARE lock blocks every write to the table
/// for the whole build.
struct CreateIndexNonConcurrentlyRule: LintRule {
    let name = "create-index-non-concurrently"
    let severity = LintSeverity.error
    let summary = "`CREATE INDEX` on an existing table without `CONCURRENTLY` (blocks writes for the whole build)"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        guard let index = statement.node.node("IndexStmt"), index["concurrent"]?.bool != true,
              let table = TableName(rangeVar: index["relation"]), context.isExisting(table) else { return [] }
        let unique = index["unique"]?.bool == true ? "UNIQUE " : ""
        let named = index["idxname"]?.string.map { " \($0)" } ?? ""
        return [LintViolation(
            "CREATE \(unique)INDEX\(named) on \(table) (an existing table) holds a SHARE lock that blocks every insert, update and delete on \(table) until the index is built; use CREATE \(unique)INDEX CONCURRENTLY, in a file (or part of one) that runs outside a transaction"
        )]
    }
}
