#if canImport(Testing)
import RehearseKit
import Testing

/// Rehearses `request` inside a Swift Testing test and records one issue per failing check, at the SQL file and
/// line that failed, so that Xcode, VS Code or CI jump to the script rather than to the test.
///
/// ```swift
/// @Test func migrationsRehearse() async throws {
///     try await expectRehearsalPasses(RehearsalRequest(path: "migrations"))
/// }
/// ```
/// An input error (a script that does not parse, a malformed `project-config.yaml`) is an issue at its file and
/// line too; an environment error (PostgreSQL not installed) is an issue at the call. Cancelling the test stops
/// the servers.
///
/// - Returns: the report, or nil when the repository could not be rehearsed.
/// - Throws: `CancellationError` when the test was cancelled.
@discardableResult
public func expectRehearsalPasses(
    _ request: RehearsalRequest,
    fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column
) async throws -> RunReport? {
    let here = SourceLocation(fileID: fileID, filePath: filePath, line: line, column: column)
    let outcome = try await RehearsalOutcome.run(request)
    for issue in outcome.issues {
        Issue.record(Comment(rawValue: issue.text), sourceLocation: issue.sourceLocation(default: here))
    }
    return outcome.report
}

extension RehearsalIssue {
    /// The SQL file's location, or `fallback` when the issue names no regular file.
    ///
    /// A `fileID` must read `module/file`; the path as messages show it does, and keeps the console line short.
    func sourceLocation(default fallback: SourceLocation) -> SourceLocation {
        guard let filePath else { return fallback }
        let shown = displayPath.flatMap { $0.contains("/") && !$0.hasPrefix("/") ? $0 : nil }
        let name = filePath.split(separator: "/").last.map(String.init) ?? filePath
        return SourceLocation(fileID: shown ?? "migrations/\(name)", filePath: filePath, line: line, column: column)
    }
}
#endif
