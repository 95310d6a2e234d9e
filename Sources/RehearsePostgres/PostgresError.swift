import RehearseCore

/// Anything the PostgreSQL layer could not do: an error the server sent, or a connection that failed.
///
/// Server errors carry the fields of the server's ErrorResponse (SQLSTATE, message, detail, hint, the
/// 1-based character position in the statement, the context); connection failures carry libpq's message
/// and the target as `host:port/db`, never a password.
public struct PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The server rejected a statement (an ErrorResponse).
        case server
        /// The connection could not be opened or broke; libpq's message is in `message`.
        case connection
    }

    public var kind: Kind
    /// Five-character SQLSTATE, e.g. `42P07`; nil for connection failures.
    public var sqlState: String?
    /// `ERROR`, `FATAL`, `PANIC`.
    public var severity: String?
    public var message: String
    public var detail: String?
    public var hint: String?
    /// 1-based character position in the statement where the server located the error.
    public var position: Int?
    /// The server's CONTEXT (where in a function or DO block the error happened).
    public var context: String?
    /// `host:port/db` of the connection, for connection failures.
    public var target: String?

    public init(
        kind: Kind, sqlState: String? = nil, severity: String? = nil, message: String, detail: String? = nil,
        hint: String? = nil, position: Int? = nil, context: String? = nil, target: String? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.severity = severity
        self.message = message
        self.detail = detail
        self.hint = hint
        self.position = position
        self.context = context
        self.target = target
    }

    /// A failure to reach or keep talking to the server at `target`.
    static func connection(_ message: String, target: String) -> PostgresError {
        PostgresError(kind: .connection, message: message, target: target)
    }

    /// `SQLSTATE 42P07`, as ``ScriptFailure/code`` shows it.
    public var code: String? { sqlState.map { "SQLSTATE \($0)" } }

    public var description: String {
        var text: String
        switch kind {
        case .server:
            text = (severity ?? "ERROR") + ": " + (sqlState.map { "SQLSTATE \($0): " } ?? "") + message
        case .connection:
            text = "cannot talk to PostgreSQL" + (target.map { " at \($0)" } ?? "") + ": " + message
        }
        if let detail, !detail.isEmpty { text += "\nDETAIL: " + detail }
        if let hint, !hint.isEmpty { text += "\nHINT: " + hint }
        if let context, !context.isEmpty { text += "\nCONTEXT: " + context }
        return text
    }
}

extension PostgresError {
    /// Whether the machine failed rather than the script: a lost connection, insufficient resources (class 53:
    /// disk full, out of memory, too many connections), a system error (class 58), or the server shutting down
    /// (57P01–57P05; 57014, a statement timeout, is the script's).
    public var isEnvironmental: Bool {
        if kind == .connection { return true }
        guard let sqlState else { return false }
        return sqlState.hasPrefix("53") || sqlState.hasPrefix("58") || sqlState.hasPrefix("08")
            || (sqlState.hasPrefix("57P") && sqlState != "57P04")
    }
}
