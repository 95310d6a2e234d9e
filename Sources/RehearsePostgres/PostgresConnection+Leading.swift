/// Statements that travel in front of a caller's next command, in its round trip.
///
/// Inside the fast path's transaction block every file and every read starts from a reset session
/// (``PostgresSessionReset``). Sent on its own, the reset costs a round trip each time, a sixth of all round trips
/// of a rehearsal; sent in front of the command that needs it, it costs none. The statements must return nothing
/// the caller reads. They are sent only while a transaction block is open and intact: outside one they would make
/// the caller's statement part of one implicit transaction, and in a failed one they would fail and stop it.
extension PostgresConnection {
    /// The leading statements as they go in front of a query string, and how to give the caller back its own
    /// failure.
    struct LeadingStatements {
        let statements: [String]
        /// The statements, each ended by `;` and a line break.
        let text: String
        /// Characters (Unicode scalars, as the server counts a position) of ``text``.
        let length: Int

        init(_ statements: [String]) {
            self.statements = statements
            text = statements.map { $0 + ";\n" }.joined()
            length = text.unicodeScalars.count
        }

        /// An error of the query string ``text`` + the caller's, placed in the caller's part.
        func shifted(_ error: PostgresError) -> PostgresError {
            var error = error
            if let position = error.position { error.position = position > length ? position - length : nil }
            return error
        }

        /// A failure of the query string ``text`` + the caller's, as the caller's query string alone.
        func shifted(_ failure: QueryStringFailure) -> QueryStringFailure {
            QueryStringFailure(completed: max(0, failure.completed - statements.count), error: shifted(failure.error))
        }

        /// A failure of a batch that began with the leading statements, as the caller's batch alone.
        func shifted(_ failure: PostgresBatchFailure, of callers: [String]) -> PostgresBatchFailure {
            PostgresBatchFailure(statementIndex: max(0, failure.statementIndex - statements.count), statements: callers, error: shifted(failure.error))
        }
    }

    /// Sends `statements` in front of the next command on this connection, after any still waiting, if a
    /// transaction block is still open and intact then.
    func sendFirst(_ statements: [String]) {
        leadingStatements += statements
    }

    /// The statements to send in front of the command being sent now, which then are no longer pending.
    func takeLeading() -> LeadingStatements? {
        guard !leadingStatements.isEmpty else { return nil }
        defer { leadingStatements = [] }
        guard transactionStatus == .inTransaction else { return nil }
        return LeadingStatements(leadingStatements)
    }
}
