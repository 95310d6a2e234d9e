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
        let scope = try ValidatorScope(opening: self)
        defer { scope.close() }
        let connection = scope.connection
        if script.unsplittable != nil {
            let query = QueryString(script)
            do {
                try connection.executeQueryStringDiscardingRows(query.text)
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
        // PostgreSQL refuses these in a transaction block, and in a string of several statements with another
        // message: they go one by one, as psql sends them.
        guard !script.statements.contains(where: \.nonTransactional) else {
            return try verifyStatementByStatement(script, on: connection)
        }
        // The statements in one query string, the script's own transaction control as savepoints; up to the first
        // statement that fails without running, which fails once those before it ran.
        var pieces: [QueryString.Piece] = []
        var stop: ScriptFailure?
        var open: [String] = []
        var opened = 0
        func savepoint() -> String {
            opened += 1
            open.append("rehearse_verify_\(opened)")
            return "SAVEPOINT rehearse_verify_\(opened)"
        }
        statements: for (index, statement) in script.statements.enumerated() {
            let control = PostgresScriptParser.transactionStatement(of: statement.text)
            let chain = control?["chain"].bool == true
            switch control?["kind"].string {
            case nil:
                pieces.append(.statement(index))
            case "TRANS_STMT_BEGIN", "TRANS_STMT_START":
                // psql inside a transaction: BEGIN only warns.
                if open.isEmpty { pieces.append(.own(savepoint(), count: 1, standingFor: index)) }
            case "TRANS_STMT_COMMIT":
                guard let name = open.popLast() else { continue }
                let commands = ["RELEASE SAVEPOINT \(name)"] + (chain ? [savepoint()] : [])
                pieces.append(.own(commands.joined(separator: "; "), count: commands.count, standingFor: index))
            case "TRANS_STMT_ROLLBACK":
                guard let name = open.popLast() else { continue }
                let commands = ["ROLLBACK TO SAVEPOINT \(name)", "RELEASE SAVEPOINT \(name)"] + (chain ? [savepoint()] : [])
                pieces.append(.own(commands.joined(separator: "; "), count: commands.count, standingFor: index))
            case "TRANS_STMT_SAVEPOINT", "TRANS_STMT_RELEASE", "TRANS_STMT_ROLLBACK_TO":
                guard !open.isEmpty else {
                    stop = Self.outsideTransactionBlock(statement, index: index, file: file)
                    break statements
                }
                pieces.append(.statement(index))
            default:
                stop = Self.notAllowedInVerify(statement, index: index, file: file)
                break statements
            }
        }
        if !pieces.isEmpty {
            let query = QueryString(script, pieces: pieces)
            do {
                try connection.executeQueryStringDiscardingRows(query.text)
            } catch let failure as QueryStringFailure {
                throw query.failure(failure, file: file)
            }
        }
        if let stop { throw stop }
    }

    /// ``verify(_:)`` one statement per round trip, for a script holding a statement PostgreSQL refuses in a
    /// transaction block.
    private func verifyStatementByStatement(_ script: PreparedScript, on connection: PostgresConnection) throws {
        let file = script.file
        var open: [String] = []
        var opened = 0
        func openSavepoint() throws {
            opened += 1
            let name = "rehearse_verify_\(opened)"
            try connection.execute("SAVEPOINT \(name)")
            open.append(name)
        }
        for (index, statement) in script.statements.enumerated() {
            let control = PostgresScriptParser.transactionStatement(of: statement.text)
            do {
                switch control?["kind"].string {
                case nil:
                    try connection.executeDiscardingRows(statement.text)
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
                    guard !open.isEmpty else { throw Self.outsideTransactionBlock(statement, index: index, file: file) }
                    try connection.executeDiscardingRows(statement.text)
                default:
                    throw Self.notAllowedInVerify(statement, index: index, file: file)
                }
            } catch let error as PostgresError {
                throw failure(error, statement: statement, index: index, file: file)
            }
        }
    }

    /// A script's `SAVEPOINT`, `RELEASE` or `ROLLBACK TO` outside its own transaction, which PostgreSQL refuses.
    private static func outsideTransactionBlock(_ statement: ScriptStatement, index: Int, file: ScriptFile) -> ScriptFailure {
        ScriptFailure(
            file: file.displayPath, line: statement.line, column: statement.column, statementIndex: index + 1,
            code: "SQLSTATE 25P01", message: "\(firstWord(of: statement.text)) can only be used in transaction blocks"
        )
    }

    /// Transaction control that would end the transaction Rehearse rolls back (`PREPARE TRANSACTION`, …).
    private static func notAllowedInVerify(_ statement: ScriptStatement, index: Int, file: ScriptFile) -> ScriptFailure {
        ScriptFailure(
            file: file.displayPath, line: statement.line, column: statement.column, statementIndex: index + 1,
            message: "\(firstWord(of: statement.text)) is not allowed in a verify script: it would end the transaction that Rehearse rolls back after verifying"
        )
    }
}
