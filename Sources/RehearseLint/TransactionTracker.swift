import RehearseCore

/// Follows, statement by statement, whether a file's statements run inside a transaction block, as its layout
/// runs the file (DESIGN.md, "Repository layouts").
///
/// Every statement gets a transaction number: statements with the same number share one transaction, so what one
/// of them did (`ALTER TYPE … ADD VALUE`, `SET LOCAL`) is still pending for the next.
struct TransactionTracker: Sendable {
    private let execution: ExecutionMode
    private let layout: String
    /// Why the whole file runs in one transaction; nil when its statements run on their own.
    private let fileTransaction: String?
    /// The explicit `BEGIN` still open, by its line (autocommit files only).
    private var openedAt: Int?
    private var number = 0

    /// - Parameter statements: the file's top-level statements, in order.
    init(execution: ExecutionMode, layout: String, statements: [LintStatement]) {
        self.execution = execution
        self.layout = layout
        let topLevel = statements.filter { !$0.nested }
        switch execution {
        case .autocommit:
            fileTransaction = nil
        case .transaction:
            fileTransaction = "\(layout) runs this file in one transaction"
        case .singleQuery:
            // PostgreSQL wraps a query string of several statements in one implicit transaction block.
            fileTransaction = topLevel.count > 1 ? "\(layout) sends this file as one query string, which PostgreSQL runs as one transaction" : nil
        case .transactionUnlessNonTransactional:
            let mixed = !topLevel.allSatisfy { NonTransactional.statement($0) != nil }
            fileTransaction = mixed
                ? "\(layout) runs this file in one transaction, because its other statements can run in one (Flyway refuses a file that mixes both kinds unless mixed=true)"
                : nil
        }
    }

    /// Where `statement` runs: its transaction number, and why it is inside a transaction block (nil when not).
    ///
    /// Call for every statement in file order; a nested statement shares its `DO` block's transaction.
    mutating func enter(_ statement: LintStatement) -> (transaction: Int, block: String?) {
        if statement.nested {
            return (number, "a DO block runs as one statement, inside one transaction")
        }
        if let fileTransaction { return (0, fileTransaction) }
        let kind = statement.body["kind"]?.string
        if statement.kind == "TransactionStmt" {
            switch kind {
            case "TRANS_STMT_BEGIN", "TRANS_STMT_START":
                number += 1
                openedAt = statement.line
                return (number, nil)
            case "TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK", "TRANS_STMT_PREPARE":
                let current = number
                openedAt = nil
                number += 1
                return (current, nil)
            default:
                break
            }
        }
        if let openedAt { return (number, "the file opens a transaction with BEGIN at line \(openedAt)") }
        // In autocommit every statement is its own transaction.
        number += 1
        return (number, nil)
    }
}
