/// A script file split into the statements (SQL) or commands (MongoDB) that are sent one at a time.
///
/// Produced by a ``ScriptParser`` before any server starts, so that an unreadable file is an
/// input error (exit 2) rather than a failed check.
public struct PreparedScript: Sendable {
    public let file: ScriptFile
    public let statements: [ScriptStatement]
    /// Why the parser could not split the file into statements (its message, with line and column), or nil.
    ///
    /// Such a file holds one statement, the whole text, and is sent to the server as one query string: a newer
    /// server than the parser may accept its syntax, and when it does not, the server's error says where.
    public let unsplittable: String?
    /// True when the file opens its own transaction first and commits it last (Sqitch's `BEGIN; … COMMIT;`).
    public var wrapsItselfInTransaction: Bool

    public init(file: ScriptFile, statements: [ScriptStatement], unsplittable: String? = nil, wrapsItselfInTransaction: Bool = false) {
        self.file = file
        self.statements = statements
        self.unsplittable = unsplittable
        self.wrapsItselfInTransaction = wrapsItselfInTransaction
    }

    /// True when the file holds no statement (empty, or comments only).
    public var isEmpty: Bool { statements.isEmpty }
}

/// One statement or command, with where it starts in its file.
public struct ScriptStatement: Sendable, Equatable {
    /// The text sent to the server: one SQL statement, or one command as Extended JSON.
    public let text: String
    /// 1-based line and column of the statement's first character in the file.
    public let line: Int
    public let column: Int
    /// MongoDB validators only: the Extended JSON document the reply must contain.
    public let expectation: String?
    /// PostgreSQL only: a statement the server refuses inside a transaction block (`CREATE INDEX CONCURRENTLY`,
    /// `VACUUM`, …), decided from its parse tree. Flyway runs a file of such statements outside a transaction.
    public let nonTransactional: Bool
    /// PostgreSQL only: the catalog objects the statement creates, alters or drops, as the snapshot names them.
    public let objects: [StatementObject]

    public init(
        text: String, line: Int, column: Int, expectation: String? = nil, nonTransactional: Bool = false,
        objects: [StatementObject] = []
    ) {
        self.text = text
        self.line = line
        self.column = column
        self.expectation = expectation
        self.nonTransactional = nonTransactional
        self.objects = objects
    }
}

/// Splits script files of one database kind; needs no server.
public protocol ScriptParser: Sendable {
    /// Reads and splits `file`.
    ///
    /// - Throws: ``InputError`` naming the file, line and column when the file cannot be read or parsed.
    func prepare(_ file: ScriptFile) throws -> PreparedScript
}
