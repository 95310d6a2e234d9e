/// How the statements of one script file are sent, as the layout's own tool sends them (DESIGN.md, "Repository layouts").
public enum ExecutionMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// `psql -v ON_ERROR_STOP=1 -f`: statement by statement in autocommit, unless the file opens its own
    /// `BEGIN … COMMIT`. Also what Flyway's `executeInTransaction=false`, Diesel's `run_in_transaction = false`
    /// and dbmate's `transaction:false` mean.
    case autocommit
    /// One transaction around the whole file (Diesel, dbmate).
    case transaction
    /// Flyway's rule: one transaction around the file, unless every statement is one PostgreSQL cannot run in a
    /// transaction (then statement by statement); a file mixing both kinds fails `forward`.
    case transactionUnlessNonTransactional
    /// The whole file as one query string, as golang-migrate's postgres driver sends it: PostgreSQL runs a
    /// multi-statement string as one implicit transaction.
    case singleQuery

    /// What a user reads in `rehearse list` and in messages.
    public var summary: String {
        switch self {
        case .autocommit: "statement by statement (psql -f)"
        case .transaction: "one transaction"
        case .transactionUnlessNonTransactional: "one transaction, unless no statement can run in one"
        case .singleQuery: "one query string"
        }
    }
}
