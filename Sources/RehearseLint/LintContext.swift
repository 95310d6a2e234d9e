import RehearseCore

/// What a rule knows about the place of a statement: its file, the tables around it, its transaction.
struct LintContext: Sendable {
    let file: ScriptFile
    /// The tables before this statement: those of the history and those the migration has created so far.
    let schema: SchemaState
    /// Why the statement runs inside a transaction block (where `CONCURRENTLY` fails); nil when it does not.
    let transactionBlock: String?
    /// True when `SET lock_timeout` (or `SET LOCAL` in this transaction) came earlier in the file.
    let lockTimeoutSet: Bool
    /// Why the statement must be safe to run twice; nil when a failed run leaves nothing to re-run.
    let idempotence: String?
    /// Enum values added by `ALTER TYPE … ADD VALUE` earlier in this statement's transaction: value → type.
    let newEnumValues: [String: String]
    /// Objects dropped with `IF EXISTS` earlier in the file, which a `CREATE` may then make again on every run.
    let droppedIfExists: Set<String>

    func isExisting(_ table: TableName) -> Bool { schema.isExisting(table) }
}
