/// A statement PostgreSQL cannot run inside a transaction block (`CREATE INDEX CONCURRENTLY`, `DROP INDEX
/// CONCURRENTLY`, `REINDEX CONCURRENTLY`, `VACUUM`, …) where the layout runs the file in one, or after the
/// file's own `BEGIN`, or in a `DO` block: it fails with SQLSTATE 25001.
struct ConcurrentlyInTransactionRule: LintRule {
    let name = "concurrently-in-transaction"
    let severity = LintSeverity.error
    let summary = "`CONCURRENTLY` (or `VACUUM`, `CREATE DATABASE`, …) where the file runs in a transaction (fails with SQLSTATE 25001)"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        guard let what = NonTransactional.statement(statement), let block = context.transactionBlock else { return [] }
        return [LintViolation(
            "\(what) cannot run inside a transaction block, and here \(block): PostgreSQL refuses it with SQLSTATE 25001; move it to a migration of its own that runs outside a transaction (no BEGIN around it, or the layout's non-transactional setting)"
        )]
    }
}
