/// A statement that waits for a lock blocking reads or writes of an existing table, with no `lock_timeout` set
/// earlier in its file: while it waits behind one long query, every other query on the table queues behind it.
struct RequireLockTimeoutRule: LintRule {
    let name = "require-lock-timeout"
    let severity = LintSeverity.error
    let summary = "a statement that locks an existing table with no `SET lock_timeout` earlier in the file (queues every query behind it)"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        guard !context.lockTimeoutSet else { return [] }
        let locks = LockAnalysis.locks(statement, schema: context.schema)
        guard let first = locks.first else { return [] }
        let tables = locks.map(\.table.description).joined(separator: ", ")
        return [LintViolation(
            "\(statement.label) waits for \(first.mode.first == "A" || first.mode.first == "E" ? "an" : "a") \(first.mode) lock on \(tables) with no lock_timeout: if one long transaction holds the table, this statement waits, and every \(first.mode == LockAnalysis.accessExclusive ? "query" : "write") on it that comes after queues behind it, stalling the application; put SET lock_timeout = '5s' (or SET LOCAL inside the transaction) before it in this file, and retry the migration when it times out"
        )]
    }
}
