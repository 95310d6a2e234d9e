import Foundation

/// A statement of ``PostgresConnection/executeBatch(_:)`` failed: which one (0-based) and the error; the statements
/// after it did not run.
public struct PostgresBatchFailure: Error, Sendable, CustomStringConvertible {
    public var statementIndex: Int
    public var statementCount: Int
    /// The failed statement, as sent.
    public var statement: String
    public var error: PostgresError

    init(statementIndex: Int, statements: [String], error: PostgresError) {
        self.statementIndex = statementIndex
        self.statementCount = statements.count
        self.statement = statements.indices.contains(statementIndex) ? statements[statementIndex] : ""
        self.error = error
    }

    public var description: String {
        let excerpt = statement.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        let shown = excerpt.count > 120 ? String(excerpt.prefix(120)) + " …" : excerpt
        return "statement \(statementIndex + 1) of \(statementCount) in a batch failed (\(shown)): \(error)"
    }
}
