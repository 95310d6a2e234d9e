import RehearseCore

/// How a script is sent, by its ``ExecutionMode`` (DESIGN.md, "Repository layouts").
extension PostgresDatabase {
    /// The way one script goes to the server.
    enum ExecutionPlan: Equatable {
        /// psql -f: one statement at a time, autocommit unless the file opens its own transaction.
        case statementByStatement
        /// BEGIN, every statement, COMMIT.
        case transaction
        /// The whole text as one query string, optionally between BEGIN and COMMIT.
        case queryString(inTransaction: Bool)
    }

    /// Decides how `script` runs. A file the parser could not split always goes as one query string.
    ///
    /// - Throws: ``ScriptFailure`` for a Flyway file mixing statements PostgreSQL cannot run in a transaction with
    ///   others, which Flyway refuses.
    static func plan(for script: PreparedScript) throws -> ExecutionPlan {
        let mode = script.file.execution
        if script.unsplittable != nil {
            return .queryString(inTransaction: mode == .transaction || mode == .transactionUnlessNonTransactional)
        }
        switch mode {
        case .autocommit:
            return .statementByStatement
        case .transaction:
            return .transaction
        case .singleQuery:
            return .queryString(inTransaction: false)
        case .transactionUnlessNonTransactional:
            let outside = script.statements.filter(\.nonTransactional)
            if outside.isEmpty { return .transaction }
            if outside.count == script.statements.count { return .statementByStatement }
            guard let index = script.statements.firstIndex(where: \.nonTransactional) else { return .transaction }
            let statement = script.statements[index]
            let label = PostgresScriptParser.tree(of: statement.text).flatMap(NonTransactionalStatement.label(of:))
                ?? firstWord(of: statement.text)
            throw ScriptFailure(
                file: script.file.displayPath, line: statement.line, column: statement.column, statementIndex: index + 1,
                message: "the file mixes statements that cannot run in a transaction (\(label)) with others; Flyway refuses such a migration unless mixed=true: move this statement to a migration of its own, or run the file outside a transaction (executeInTransaction=false)"
            )
        }
    }

    /// BEGIN, every statement, COMMIT, as Diesel, dbmate and Flyway run a migration. A failure rolls everything back.
    /// Statements PostgreSQL refuses in a transaction fail with SQLSTATE 25001, as they do under those tools; a
    /// file's own BEGIN or COMMIT is sent as written and the server decides (a warning, or an early commit).
    func applyInTransaction(_ script: PreparedScript) throws {
        let connection = try freshSession()
        try begin(connection, file: script.file)
        for (index, statement) in script.statements.enumerated() {
            do {
                try connection.executeDiscardingRows(statement.text)
            } catch let error as PostgresError {
                rollBackOpenTransaction(connection)
                throw failure(error, statement: statement, index: index, file: script.file)
            }
        }
        try commit(connection, file: script.file)
    }

    /// The whole file as one query string, as golang-migrate's postgres driver sends it (PostgreSQL runs it as one
    /// implicit transaction unless it holds its own transaction control); a file the parser could not split goes
    /// this way in every mode, between BEGIN and COMMIT where the mode wants a transaction. A server error is
    /// placed on the file's line and column, from its position or else from how many statements had completed.
    func applyAsQueryString(_ script: PreparedScript, inTransaction: Bool) throws {
        let query = QueryString(script)
        let connection = try freshSession()
        if inTransaction { try begin(connection, file: script.file) }
        do {
            try connection.executeQueryStringDiscardingRows(query.text)
        } catch let failure as QueryStringFailure {
            rollBackOpenTransaction(connection)
            throw query.failure(failure, file: script.file)
        }
        if inTransaction {
            try commit(connection, file: script.file)
        } else if connection.transactionStatus != .idle {
            let begin = script.statements.lastIndex { statement in
                ["TRANS_STMT_BEGIN", "TRANS_STMT_START"].contains(PostgresScriptParser.transactionKind(of: statement.text))
            }
            try requireClosedTransaction(connection, opening: begin.map { ($0, script.statements[$0]) }, file: script.file)
        }
    }

    private func begin(_ connection: PostgresConnection, file: ScriptFile) throws {
        do {
            try connection.execute("BEGIN")
        } catch let error as PostgresError {
            throw ScriptFailure(file: file.displayPath, code: error.code, message: "could not open the transaction: \(error.message)")
        }
    }

    /// Commits the transaction if the file left it open (its own COMMIT may have ended it already). A failed
    /// commit (a deferred constraint) is the file's failure.
    private func commit(_ connection: PostgresConnection, file: ScriptFile) throws {
        guard connection.transactionStatus == .inTransaction || connection.transactionStatus == .inFailedTransaction else { return }
        do {
            try connection.execute("COMMIT")
        } catch let error as PostgresError {
            rollBackOpenTransaction(connection)
            throw ScriptFailure(
                file: file.displayPath, code: error.code, message: "the transaction could not commit: \(error.message)",
                detail: error.detail, hint: error.hint, context: error.context
            )
        }
    }
}

/// The statements of a file joined into the one query string that is sent, with where each one starts in it, so
/// that a server error maps back to the file. On the fast path Rehearse's own commands (the file's savepoint, a
/// savepoint for the file's own `BEGIN`) travel in the same string, between the statements.
struct QueryString {
    /// One element of ``text``.
    enum Piece: Equatable {
        /// The file's statement at this index.
        case statement(Int)
        /// A command of Rehearse's own, of `count` statements, sent in place of the file's statement `standingFor`
        /// (nil: before or after the file's statements).
        case own(String, count: Int, standingFor: Int?)
    }

    let statements: [ScriptStatement]
    /// The file's one statement is its whole text, which the parser could not split.
    let unsplittable: Bool
    let text: String
    private let pieces: [Piece]
    /// Offset in Unicode scalars (PostgreSQL's characters) of each piece in ``text``.
    private let starts: [Int]

    /// Statements are joined by a semicolon on a line of its own, so that a statement ending in a `--` comment
    /// still ends where it did.
    static let separator = "\n;\n"

    init(_ script: PreparedScript) {
        self.init(script, pieces: script.statements.indices.map(Piece.statement))
    }

    init(_ script: PreparedScript, pieces: [Piece]) {
        statements = script.statements
        unsplittable = script.unsplittable != nil
        self.pieces = pieces
        var starts: [Int] = []
        var texts: [String] = []
        var offset = 0
        for piece in pieces {
            let text: String
            switch piece {
            case let .statement(index): text = script.statements[index].text
            case let .own(command, _, _): text = command
            }
            starts.append(offset)
            texts.append(text)
            offset += text.unicodeScalars.count + Self.separator.unicodeScalars.count
        }
        self.starts = starts
        text = texts.joined(separator: Self.separator)
    }

    /// The piece holding the 1-based character `position` of ``text``, and the position inside it.
    private func piece(atCharacter position: Int) -> (index: Int, position: Int)? {
        guard let index = starts.lastIndex(where: { $0 < position }) else { return nil }
        return (index, position - starts[index])
    }

    /// The piece that was running when `completed` statements of ``text`` had completed.
    private func piece(afterCompleting completed: Int) -> Int {
        var done = 0
        for (index, piece) in pieces.enumerated() {
            switch piece {
            case .statement: done += 1
            case let .own(_, count, _): done += count
            }
            if done > completed { return index }
        }
        return max(pieces.count - 1, 0)
    }

    /// The server's error as a failure of the file, at the statement and position it names.
    func failure(_ failure: QueryStringFailure, file: ScriptFile) -> ScriptFailure {
        let error = failure.error
        let placed = error.position.flatMap { piece(atCharacter: $0) }
        let pieceIndex = placed?.index ?? piece(afterCompleting: failure.completed)
        var index: Int?
        var inside: Int?
        if pieces.indices.contains(pieceIndex) {
            switch pieces[pieceIndex] {
            case let .statement(statement): (index, inside) = (statement, placed?.position)
            case let .own(_, _, standingFor): index = standingFor
            }
        }
        var line: Int?, column: Int?
        if let index, statements.indices.contains(index) {
            let statement = statements[index]
            (line, column) = inside.map { statement.location(ofCharacter: $0) } ?? (statement.line, statement.column)
        }
        // One statement holding several (an unsplittable file): the position says where; without one, the server's
        // count of completed statements says which it was.
        let statementIndex = !unsplittable ? index.map { $0 + 1 } : (placed == nil ? failure.completed + 1 : nil)
        var failure = ScriptFailure(
            file: file.displayPath, line: line, column: column, statementIndex: statementIndex,
            code: error.code, message: error.kind == .connection ? "lost the connection: \(error.message)" : error.message,
            detail: error.detail, hint: error.hint, context: error.context
        )
        failure.isEnvironmental = error.isEnvironmental
        return failure
    }
}
