/// Which existing tables a statement locks in a mode that blocks the application's reads or writes.
///
/// This is lint's guess from the statement alone; `verify`'s `safety` check measures the locks actually taken.
enum LockAnalysis {
    /// A table and the lock the statement waits for on it.
    struct Lock: Sendable, Equatable {
        let table: TableName
        let mode: String
    }

    static let accessExclusive = "ACCESS EXCLUSIVE"

    static func locks(_ statement: LintStatement, schema: SchemaState) -> [Lock] {
        let body = statement.body
        var locks: [Lock] = []
        func add(_ table: TableName?, _ mode: String) {
            guard let table, schema.isExisting(table), !locks.contains(where: { $0.table == table }) else { return }
            locks.append(Lock(table: table, mode: mode))
        }
        switch statement.kind {
        case "AlterTableStmt":
            guard let alter = statement.alterTable else { return [] }
            // VALIDATE CONSTRAINT and SET STATISTICS take SHARE UPDATE EXCLUSIVE, which lets reads and writes through.
            let mild: Set<String> = ["AT_ValidateConstraint", "AT_SetStatistics", "AT_DetachPartitionFinalize"]
            let onlyMild = alter.commands.allSatisfy { mild.contains($0["subtype"]?.string ?? "") }
            if !onlyMild { add(alter.table, accessExclusive) }
            for (_, constraint) in statement.addedConstraints where constraint["contype"]?.string == "CONSTR_FOREIGN" {
                add(TableName(rangeVar: constraint["pktable"]), "SHARE ROW EXCLUSIVE")
            }
        case "CreateStmt":
            // A new table's foreign keys lock the tables they reference.
            for element in body["tableElts"]?.items ?? [] {
                var constraints = element.node("Constraint").map { [$0] } ?? []
                if let column = element.node("ColumnDef") { constraints += LintStatement.constraints(of: column) }
                for constraint in constraints where constraint["contype"]?.string == "CONSTR_FOREIGN" {
                    add(TableName(rangeVar: constraint["pktable"]), "SHARE ROW EXCLUSIVE")
                }
            }
        case "IndexStmt" where body["concurrent"]?.bool != true:
            add(TableName(rangeVar: body["relation"]), "SHARE")
        case "DropStmt":
            switch body["removeType"]?.string {
            case "OBJECT_TABLE", "OBJECT_MATVIEW":
                for table in statement.droppedNames.compactMap(TableName.init(names:)) { add(table, accessExclusive) }
            case "OBJECT_INDEX" where body["concurrent"]?.bool != true:
                for name in statement.droppedNames.compactMap(\.last) { add(schema.table(ofIndex: name), accessExclusive) }
            default:
                break
            }
        case "RenameStmt":
            add(TableName(rangeVar: body["relation"]), accessExclusive)
        case "LockStmt" where (body["mode"]?.int ?? 8) >= LockTableRule.firstBlockingMode:
            for relation in body["relations"]?.items ?? [] {
                add(TableName(rangeVar: relation.node("RangeVar")), LockTableRule.modeName(body["mode"]?.int ?? 8))
            }
        case "VacuumStmt" where statement.hasOption("full", in: "options"):
            for relation in body["rels"]?.items ?? [] {
                add(TableName(rangeVar: relation.node("VacuumRelation")?["relation"]), accessExclusive)
            }
        case "ClusterStmt":
            add(TableName(rangeVar: body["relation"]), accessExclusive)
        case "ReindexStmt" where !statement.hasOption("concurrently"):
            if body["kind"]?.string == "REINDEX_OBJECT_TABLE" { add(TableName(rangeVar: body["relation"]), "SHARE") }
            if body["kind"]?.string == "REINDEX_OBJECT_INDEX", let index = body["relation"]?["relname"]?.string {
                add(schema.table(ofIndex: index), accessExclusive)
            }
        case "CreateTrigStmt":
            add(TableName(rangeVar: body["relation"]), "SHARE ROW EXCLUSIVE")
        case "TruncateStmt":
            for relation in body["relations"]?.items ?? [] { add(TableName(rangeVar: relation.node("RangeVar")), accessExclusive) }
        default:
            break
        }
        return locks
    }
}
