/// One statement that breaks one rule, with where a reviewer finds it.
public struct LintFinding: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The rule's name (`set-not-null`).
    public let rule: String
    public let severity: LintSeverity
    /// What the statement does, why that is unsafe, and the safe way.
    public let message: String
    /// The file as shown in messages (relative to where Rehearse was run, as the repository path was given).
    public let file: String
    public let line: Int
    public let column: Int
    /// The suite (`e-commerce/postgresql`) and subject (`upgrade v1.0.0 -> v1.1.0`) the file was read in.
    public let suite: String
    public let subject: String

    public init(
        rule: String, severity: LintSeverity, message: String, file: String, line: Int, column: Int,
        suite: String, subject: String
    ) {
        self.rule = rule
        self.severity = severity
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.suite = suite
        self.subject = subject
    }

    /// `file:line:column: rule: message`, with `(warning)` or `(advisory)` before a message that is not an error.
    public var description: String {
        let level = severity == .error ? "" : "(\(severity.rawValue)) "
        return "\(file):\(line):\(column): \(rule): \(level)\(message)"
    }
}
