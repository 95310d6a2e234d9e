import RehearseCore

/// Sqitch verify scripts: they pass when they raise no error.
extension PostgresDatabase {
    /// Runs a Sqitch verify script as psql would (statement by statement, stopping at the first error), but inside
    /// a transaction that is always rolled back, so that verifying never changes the database.
    ///
    /// The script's own transaction control is translated, from its parse tree, into savepoints of that
    /// transaction: BEGIN / START TRANSACTION opens one, COMMIT / END releases it, ROLLBACK / ABORT rolls back to it;
    /// outside the script's own transaction, COMMIT and ROLLBACK do nothing (psql only warns) and SAVEPOINT fails
    /// as PostgreSQL fails it. Rows returned are not judged. A script the parser could not split is sent as one
    /// query string; it fails if it ends Rehearse's transaction itself.
    ///
    /// - Throws: ``ScriptFailure`` for the first statement that raises an error.
    func verify(_ script: PreparedScript) throws {
        let file = script.file
        let connection = try freshSession()
        let scope = try ValidatorScope(self, connection)
        defer { scope.close() }
        if script.unsplittable != nil {
            let query = QueryString(script)
            do {
                try connection.executeQueryString(query.text)
            } catch let failure as QueryStringFailure {
                throw query.failure(failure, file: file)
            }
            if connection.transactionStatus == .idle {
                throw ScriptFailure(
                    file: file.displayPath, line: script.statements.first?.line, column: script.statements.first?.column,
                    message: "the verify script ended Rehearse's transaction with its own COMMIT or ROLLBACK, and Rehearse could not split it into statements to run that as savepoints (\(script.unsplittable ?? "")); what it did may have been kept"
                )
            }
            return
        }
        var open: [String] = []
        var opened = 0
        func openSavepoint() throws {
            opened += 1
            let name = "rehearse_verify_\(opened)"
            try connection.execute("SAVEPOINT \(name)")
            open.append(name)
        }
        for (index, statement) in script.statements.enumerated() {
            let control = PostgresScriptParser.tree(of: statement.text)?.fields("TransactionStmt")
            do {
                switch control?["kind"].string {
                case nil:
                    try connection.execute(statement.text)
                case "TRANS_STMT_BEGIN", "TRANS_STMT_START":
                    // psql inside a transaction: BEGIN only warns.
                    if open.isEmpty { try openSavepoint() }
                case "TRANS_STMT_COMMIT":
                    guard let name = open.popLast() else { continue }
                    try connection.execute("RELEASE SAVEPOINT \(name)")
                    if control?["chain"].bool == true { try openSavepoint() }
                case "TRANS_STMT_ROLLBACK":
                    guard let name = open.popLast() else { continue }
                    try connection.execute("ROLLBACK TO SAVEPOINT \(name)")
                    try connection.execute("RELEASE SAVEPOINT \(name)")
                    if control?["chain"].bool == true { try openSavepoint() }
                case "TRANS_STMT_SAVEPOINT", "TRANS_STMT_RELEASE", "TRANS_STMT_ROLLBACK_TO":
                    guard !open.isEmpty else {
                        throw ScriptFailure(
                            file: file.displayPath, line: statement.line, column: statement.column, statementIndex: index + 1,
                            code: "SQLSTATE 25P01", message: "\(Self.firstWord(of: statement.text)) can only be used in transaction blocks"
                        )
                    }
                    try connection.execute(statement.text)
                default:
                    throw ScriptFailure(
                        file: file.displayPath, line: statement.line, column: statement.column, statementIndex: index + 1,
                        message: "\(Self.firstWord(of: statement.text)) is not allowed in a verify script: it would end the transaction that Rehearse rolls back after verifying"
                    )
                }
            } catch let error as PostgresError {
                throw failure(error, statement: statement, index: index, file: file)
            }
        }
    }
}
