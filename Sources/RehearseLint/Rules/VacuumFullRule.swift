/// `VACUUM FULL`: rewrites each table under an ACCESS EXCLUSIVE lock.
struct VacuumFullRule: LintRule {
    let name = "vacuum-full"
    let severity = LintSeverity.error
    let summary = "`VACUUM FULL` (rewrites each table under an ACCESS EXCLUSIVE lock)"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        guard let vacuum = statement.node.node("VacuumStmt"), statement.hasOption("full", in: "options") else { return [] }
        let tables = (vacuum["rels"]?.items ?? []).compactMap { TableName(rangeVar: $0.node("VacuumRelation")?["relation"]) }
        let live = tables.isEmpty ? (context.schema.startsEmpty ? [] : ["every table of the database"])
            : tables.filter(context.isExisting).map(\.description)
        guard !live.isEmpty else { return [] }
        return [LintViolation(
            "VACUUM FULL rewrites \(live.joined(separator: ", ")) under an ACCESS EXCLUSIVE lock, blocking reads and writes until the copy is done; plain VACUUM reclaims space for reuse without blocking, and pg_repack compacts a table online"
        )]
    }
}
