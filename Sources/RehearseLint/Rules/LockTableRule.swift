/// An explicit `LOCK TABLE` that blocks writes (SHARE or stronger; the default is ACCESS EXCLUSIVE) on an
/// existing table: it holds until the transaction ends, and every query behind it waits.
struct LockTableRule: LintRule {
    let name = "lock-table"
    let severity = LintSeverity.error
    let summary = "`LOCK TABLE` in a mode that blocks writes, on an existing table (held until the transaction ends)"

    /// SHARE: the weakest mode that blocks writes.
    static let firstBlockingMode = 5

    static func modeName(_ mode: Int) -> String {
        switch mode {
        case 1: "ACCESS SHARE"
        case 2: "ROW SHARE"
        case 3: "ROW EXCLUSIVE"
        case 4: "SHARE UPDATE EXCLUSIVE"
        case 5: "SHARE"
        case 6: "SHARE ROW EXCLUSIVE"
        case 7: "EXCLUSIVE"
        default: "ACCESS EXCLUSIVE"
        }
    }

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        guard let lock = statement.node.node("LockStmt") else { return [] }
        let mode = lock["mode"]?.int ?? 8
        guard mode >= Self.firstBlockingMode else { return [] }
        let tables = (lock["relations"]?.items ?? []).compactMap { TableName(rangeVar: $0.node("RangeVar")) }.filter(context.isExisting)
        guard !tables.isEmpty else { return [] }
        let names = tables.map(\.description).joined(separator: ", ")
        return [LintViolation(
            "LOCK TABLE \(names) IN \(Self.modeName(mode)) MODE blocks \(mode == 8 ? "every read and write" : "every write") until the transaction ends; let each statement take the lock it needs, keep the transaction short, and set lock_timeout so a lock that cannot be had fails fast instead of queueing everyone"
        )]
    }
}
