/// `REINDEX` without `CONCURRENTLY` (PostgreSQL 12+) on an existing table, index, schema or database: it blocks
/// writes to each table (and reads that would use the index) while it rebuilds.
struct ReindexNonConcurrentlyRule: LintRule {
    let name = "reindex-non-concurrently"
    let severity = LintSeverity.error
    let summary = "`REINDEX` without `CONCURRENTLY` on an existing table or index (blocks writes while it rebuilds)"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        guard let reindex = statement.node.node("ReindexStmt"), !statement.hasOption("concurrently") else { return [] }
        let target: String
        switch reindex["kind"]?.string {
        case "REINDEX_OBJECT_TABLE":
            guard let table = TableName(rangeVar: reindex["relation"]), context.isExisting(table) else { return [] }
            target = "TABLE \(table) (an existing table)"
        case "REINDEX_OBJECT_INDEX":
            guard let index = reindex["relation"]?["relname"]?.string, !context.schema.isNewIndex(index) else { return [] }
            if context.schema.table(ofIndex: index) == nil, context.schema.startsEmpty { return [] }
            target = "INDEX \(index)"
        default:
            guard !context.schema.startsEmpty else { return [] }
            target = (reindex["kind"]?.string ?? "").replacingOccurrences(of: "REINDEX_OBJECT_", with: "")
        }
        return [LintViolation(
            "REINDEX \(target) locks each table against writes (and the index against reads) until it is rebuilt; use REINDEX … CONCURRENTLY (PostgreSQL 12+), outside a transaction"
        )]
    }
}
