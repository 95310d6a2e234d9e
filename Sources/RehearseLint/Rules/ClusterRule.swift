/// `CLUSTER`: rewrites the table in index order under an ACCESS EXCLUSIVE lock.
struct ClusterRule: LintRule {
    let name = "cluster"
    let severity = LintSeverity.error
    let summary = "`CLUSTER` (rewrites the table under an ACCESS EXCLUSIVE lock)"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        guard let cluster = statement.node.node("ClusterStmt") else { return [] }
        let what: String
        if let table = TableName(rangeVar: cluster["relation"]) {
            guard context.isExisting(table) else { return [] }
            what = "\(table) (an existing table)"
        } else {
            guard !context.schema.startsEmpty else { return [] }
            what = "every previously clustered table"
        }
        return [LintViolation(
            "CLUSTER rewrites \(what) under an ACCESS EXCLUSIVE lock, blocking reads and writes until the copy is done; pg_repack --order-by reorders a table online"
        )]
    }
}
