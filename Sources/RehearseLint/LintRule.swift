/// One static safety rule: it reads one statement in its context and says what is wrong with it.
///
/// Rules keep no state; what earlier statements did (tables created, `lock_timeout` set, a transaction opened)
/// reaches them through ``LintContext``. Each rule has its own file under `Rules/` and is listed in
/// ``LintRules/all``.
protocol LintRule: Sendable {
    /// The name findings carry and `-- rehearse:allow` takes (`set-not-null`).
    var name: String { get }
    var severity: LintSeverity { get }
    /// One line for the rule list (README, SARIF's `shortDescription`).
    var summary: String { get }

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation]
}

/// What a rule found in one statement, before the linter places it in its file.
struct LintViolation: Sendable, Equatable {
    /// What and why, and the safe way.
    let message: String
    /// Byte offset in the statement text of the part at fault; the statement's start when nil.
    let location: Int?
    /// Lower than the rule's own severity when the rule is guessing.
    let severity: LintSeverity?

    init(_ message: String, at location: Int? = nil, severity: LintSeverity? = nil) {
        self.message = message
        self.location = location
        self.severity = severity
    }
}

/// A rule as the reports and the README list it.
public struct LintRuleDescription: Sendable, Hashable, Codable {
    public let name: String
    public let severity: LintSeverity
    public let summary: String
}
