/// A NOTICE, WARNING or other non-error message the server sent while running a statement.
public struct PostgresNotice: Sendable, Equatable, CustomStringConvertible {
    /// `NOTICE`, `WARNING`, `INFO`, `DEBUG`, `LOG`.
    public var severity: String
    public var sqlState: String?
    public var message: String
    public var detail: String?
    public var hint: String?

    public init(severity: String, sqlState: String? = nil, message: String, detail: String? = nil, hint: String? = nil) {
        self.severity = severity
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
    }

    public var description: String { "\(severity): \(message)" }
}
