/// Why a check failed, as a value: where a reviewer must look and what is wrong (DESIGN.md, "Failures point at files").
///
/// Reporters render it; a Swift Testing `SourceLocation`, a GitHub annotation or a JUnit `file` attribute can
/// point at `file:line` without parsing a sentence.
public struct CheckFailure: Sendable, Equatable, Codable {
    /// One line, for the JUnit `message` attribute and the console.
    public var message: String
    /// The repository-relative file to open: the failing statement's script, or the folder that is wrong.
    public var file: String?
    public var line: Int?
    public var column: Int?
    /// `SQLSTATE 42701`, `MongoDB error 11000`, …; nil for a difference.
    public var code: String?
    /// The readable diff or the server's error in full; may be empty when `message` says it all.
    public var details: String
    /// The machine failed rather than the migration (a lost server, a full disk, a role without CREATEDB): the
    /// test case is an `<error type="environment">` and the run exits 2.
    public var isEnvironmental = false

    public init(message: String, file: String? = nil, line: Int? = nil, column: Int? = nil, code: String? = nil, details: String = "") {
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.code = code
        self.details = details
    }

    /// A failure carrying a script error's location and code.
    public init(_ failure: ScriptFailure, context: String? = nil) {
        let text = failure.description
        let first = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? text
        self.init(
            message: context.map { "\($0): \(first)" } ?? first, file: failure.file, line: failure.line,
            column: failure.column, code: failure.code, details: context.map { "\($0):\n\(text)" } ?? text
        )
        isEnvironmental = failure.isEnvironmental
    }

    /// `file:line:column`, as far as known.
    public var location: String? {
        guard let file else { return nil }
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        return text
    }
}
