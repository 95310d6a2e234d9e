#if canImport(XCTest)
import Foundation
import RehearseTesting
import XCTest

/// `assertRehearsalPasses` inside XCTest: the failures it records are captured by overriding the recording
/// method, so that this test can inspect where they point instead of failing.
final class XCTestAssertionTests: XCTestCase {
    private struct Recorded {
        let description: String
        let path: String
        let line: Int
    }

    private var capturing = false
    private var recorded: [Recorded] = []

    #if canImport(Darwin)
    override func record(_ issue: XCTIssue) {
        guard capturing else { return super.record(issue) }
        let location = issue.sourceCodeContext.location
        recorded.append(Recorded(description: issue.compactDescription, path: location?.fileURL.path ?? "", line: location?.lineNumber ?? 0))
    }
    #else
    override func recordFailure(withDescription description: String, inFile filePath: String, atLine lineNumber: Int, expected: Bool) {
        guard capturing else {
            return super.recordFailure(withDescription: description, inFile: filePath, atLine: lineNumber, expected: expected)
        }
        recorded.append(Recorded(description: description, path: filePath, line: lineNumber))
    }
    #endif

    func testAFailingCheckIsRecordedAtItsSQLFileAndLine() async throws {
        let samples = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("sample-migrations")
        capturing = true
        let report = try await assertRehearsalPasses(RehearsalRequest(
            path: samples.path, projects: ["broken-impossible-validator"], databases: [.postgresql], options: RehearsalOptions(jobs: 2)
        ))
        capturing = false
        XCTAssertEqual(report?.failures, 1)
        XCTAssertEqual(recorded.count, 1)
        let failure = try XCTUnwrap(recorded.first)
        XCTAssertEqual(failure.path, samples.path + "/projects/broken-impossible-validator/versions/v1.0.0/new-install/postgresql/validate/01_order_statuses.sql")
        XCTAssertEqual(failure.line, 5)
        XCTAssertTrue(failure.description.hasPrefix("install v1.0.0: validate failed in broken-impossible-validator/postgresql\n"), failure.description)
        XCTAssertTrue(failure.description.contains("01_order_statuses.sql:5:1"), failure.description)
    }
}
#endif
