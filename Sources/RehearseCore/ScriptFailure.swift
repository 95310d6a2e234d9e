/// A statement or command that the server rejected, or a validator that did not hold.
///
/// Carries everything a user needs to find and fix it; the description reads
/// `path:line:column: SQLSTATE 42P07: relation "users" already exists` followed by
/// `DETAIL:`, `HINT:` and `CONTEXT:` lines when the server sent them.
public struct ScriptFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// Repository-relative path of the script.
    public var file: String
    public var line: Int?
    public var column: Int?
    /// 1-based index of the statement or command in the file.
    public var statementIndex: Int?
    /// `SQLSTATE 25001`, `MongoDB error 11000`, … ; nil for a validator assertion.
    public var code: String?
    public var message: String
    public var detail: String?
    public var hint: String?
    /// Where inside a function or `DO` block the error arose (PostgreSQL's CONTEXT).
    public var context: String?
    /// The machine failed, not the script: a lost connection, a full disk, a server shut down. The run then
    /// exits 2 and reports it as an `<error type="environment">`.
    public var isEnvironmental = false

    public init(
        file: String, line: Int? = nil, column: Int? = nil, statementIndex: Int? = nil,
        code: String? = nil, message: String, detail: String? = nil, hint: String? = nil, context: String? = nil
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.statementIndex = statementIndex
        self.code = code
        self.message = message
        self.detail = detail
        self.hint = hint
        self.context = context
    }

    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        if let statementIndex { location += " (statement \(statementIndex))" }
        var text = location + ": " + (code.map { "\($0): " } ?? "") + message
        if let detail, !detail.isEmpty { text += "\nDETAIL: " + detail }
        if let hint, !hint.isEmpty { text += "\nHINT: " + hint }
        if let context, !context.isEmpty { text += "\nCONTEXT: " + context }
        return text
    }
}
