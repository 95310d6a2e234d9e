#if canImport(XCTest)
import RehearseKit
import XCTest

extension XCTestCase {
    /// Rehearses `request` inside an XCTest test and records one failure per failing check, at the SQL file and
    /// line that failed.
    ///
    /// ```swift
    /// func testMigrationsRehearse() async throws {
    ///     try await assertRehearsalPasses(RehearsalRequest(path: "migrations"))
    /// }
    /// ```
    /// An input error is a failure at its file and line; an environment error one at the call. Cancelling the
    /// test stops the servers.
    ///
    /// - Returns: the report, or nil when the repository could not be rehearsed.
    /// - Throws: `CancellationError` when the test was cancelled.
    @discardableResult
    public func assertRehearsalPasses(
        _ request: RehearsalRequest, file: StaticString = #filePath, line: UInt = #line
    ) async throws -> RunReport? {
        let outcome = try await RehearsalOutcome.run(request)
        for issue in outcome.issues {
            recordRehearsalFailure(issue, file: file, line: line)
        }
        return outcome.report
    }

    private func recordRehearsalFailure(_ issue: RehearsalIssue, file: StaticString, line: UInt) {
        let path = issue.filePath ?? "\(file)"
        let number = issue.filePath == nil ? Int(line) : issue.line
        #if canImport(Darwin)
        let location = XCTSourceCodeLocation(filePath: path, lineNumber: number)
        record(XCTIssue(type: .assertionFailure, compactDescription: issue.text, sourceCodeContext: XCTSourceCodeContext(location: location)))
        #else
        recordFailure(withDescription: issue.text, inFile: path, atLine: number, expected: true)
        #endif
    }
}
#endif
