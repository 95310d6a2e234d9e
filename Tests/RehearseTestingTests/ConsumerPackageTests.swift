import Foundation
import Testing

/// A package of a user's, created in a temporary folder and depending on this checkout by path, runs
/// `swift test` on a broken and on a good migration repository, as a user's CI would.
///
/// Building the consumer takes a while the first time; its build folder is kept under this checkout's `.build`
/// so later runs only rebuild what changed. `REHEARSE_SKIP_CONSUMER_TEST=1` skips it.
@Suite(.serialized) struct ConsumerPackageTests {
    static let checkout = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let enabled = ProcessInfo.processInfo.environment["REHEARSE_SKIP_CONSUMER_TEST"] != "1"

    @Test(.enabled(if: enabled, "REHEARSE_SKIP_CONSUMER_TEST=1"), .timeLimit(.minutes(20)))
    func swiftTestReportsEachFailingCheckAtItsSQLFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-consumer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let package = folder.appendingPathComponent("Consumer")
        try Self.writeConsumer(at: package)

        let broken = try Self.swiftTest(package, filter: "[Bb]roken", events: folder.appendingPathComponent("broken-events.jsonl"))
        #expect(broken.status != 0, "the broken repository passed:\n\(broken.output)")
        let sources = package.resolvingSymlinksInPath().appendingPathComponent("migrations/broken/projects").path
        let idempotence = "\(sources)/broken-column-without-if-not-exists/versions/v1.1.0/upgrade/from-v1.0.0/postgresql/schema-changes/V1.1.0.010__Add_customer_phone.sql"
        let validator = "\(sources)/broken-impossible-validator/versions/v1.0.0/new-install/postgresql/validate/01_order_statuses.sql"

        // Swift Testing: one issue per failing check, located at the SQL file, its text naming check, file and line.
        let issues = try Self.recordedIssues(folder.appendingPathComponent("broken-events.jsonl"))
        #expect(issues.count == 2, "\(issues)\n\(broken.output)")
        let byFile = Dictionary(issues.map { ($0.filePath, $0) }, uniquingKeysWith: { first, _ in first })
        let first = try #require(byFile[idempotence], "no issue at \(idempotence): \(issues)")
        #expect(first.line == 3)
        #expect(first.text.contains("upgrade v1.0.0 -> v1.1.0: idempotence failed"))
        #expect(first.text.contains("V1.1.0.010__Add_customer_phone.sql:3:1"))
        let second = try #require(byFile[validator], "no issue at \(validator): \(issues)")
        #expect(second.line == 5)
        #expect(second.text.contains("install v1.0.0: validate failed"))
        #expect(second.text.contains("01_order_statuses.sql:5:1"))
        #expect(broken.output.contains("recorded an issue at V1.1.0.010__Add_customer_phone.sql:3:1"), "\(broken.output)")
        #expect(broken.output.contains("recorded an issue at 01_order_statuses.sql:5:1"))

        // XCTest: a failure at the validator's path and line.
        let xctest = broken.output.split(separator: "\n").filter { $0.contains("BrokenXCTests") && $0.contains("error") }
        #expect(xctest.count == 1, "\(broken.output)")
        #expect(xctest.first?.hasPrefix("\(validator):5: error: BrokenXCTests.testBrokenRepository : ") == true, "\(xctest)")
        #expect(xctest.first?.contains("install v1.0.0: validate failed") == true)

        let good = try Self.swiftTest(package, filter: "[Gg]ood", events: folder.appendingPathComponent("good-events.jsonl"))
        #expect(good.status == 0, "the good repository failed:\n\(good.output)")
        #expect(try Self.recordedIssues(folder.appendingPathComponent("good-events.jsonl")).isEmpty)
    }

    /// `Package.swift`, a Swift Testing and an XCTest file, and copies of sample projects as the user's migrations.
    static func writeConsumer(at package: URL) throws {
        let files = FileManager.default
        let tests = package.appendingPathComponent("Tests/ConsumerTests")
        try files.createDirectory(at: tests, withIntermediateDirectories: true)
        let identity = checkout.lastPathComponent.lowercased()
        try """
        // swift-tools-version:6.0
        import PackageDescription

        let package = Package(
            name: "Consumer",
            platforms: [.macOS(.v13)],
            dependencies: [.package(path: \(literal(checkout.path)))],
            targets: [
                .testTarget(name: "ConsumerTests", dependencies: [.product(name: "RehearseTesting", package: \(literal(identity)))]),
            ]
        )

        """.write(to: package.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        try """
        import RehearseTesting
        import Testing

        @Test func brokenRepository() async throws {
            try await expectRehearsalPasses(RehearsalRequest(path: "migrations/broken", databases: [.postgresql]))
        }

        @Test func goodRepository() async throws {
            let report = try await expectRehearsalPasses(RehearsalRequest(path: "migrations/good", databases: [.postgresql]))
            #expect(report?.succeeded == true)
        }

        """.write(to: tests.appendingPathComponent("MigrationTests.swift"), atomically: true, encoding: .utf8)
        try """
        import RehearseTesting
        import XCTest

        final class BrokenXCTests: XCTestCase {
            func testBrokenRepository() async throws {
                try await assertRehearsalPasses(RehearsalRequest(path: "migrations/broken", projects: ["broken-impossible-validator"], databases: [.postgresql]))
            }
        }

        """.write(to: tests.appendingPathComponent("MigrationXCTests.swift"), atomically: true, encoding: .utf8)
        let samples = checkout.appendingPathComponent("sample-migrations/projects")
        for (repository, projects) in [("broken", ["broken-column-without-if-not-exists", "broken-impossible-validator"]), ("good", ["e-commerce"])] {
            let target = package.appendingPathComponent("migrations/\(repository)/projects")
            try files.createDirectory(at: target, withIntermediateDirectories: true)
            for project in projects {
                try files.copyItem(at: samples.appendingPathComponent(project), to: target.appendingPathComponent(project))
            }
        }
    }

    /// A Swift string literal for `text`.
    static func literal(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// `swift test` in `package`, building into a folder kept under this checkout's `.build`.
    static func swiftTest(_ package: URL, filter: String, events: URL) throws -> (status: Int32, output: String) {
        let log = events.deletingPathExtension().appendingPathExtension("log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: log.path])
        }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "swift", "test", "--package-path", package.path,
            "--scratch-path", checkout.appendingPathComponent(".build/consumer-test").path,
            "--filter", filter, "--event-stream-output-path", events.path, "--event-stream-version", "0",
        ]
        process.currentDirectoryURL = package
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    struct RecordedIssue: CustomStringConvertible {
        let filePath: String
        let line: Int
        let text: String
        var description: String { "\(filePath):\(line): \(text)" }
    }

    /// The issues of Swift Testing's event stream (JSON Lines): where each points and what it says.
    static func recordedIssues(_ events: URL) throws -> [RecordedIssue] {
        let text = try String(contentsOf: events, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line -> RecordedIssue? in
            guard let record = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let payload = record["payload"] as? [String: Any], payload["kind"] as? String == "issueRecorded",
                  let issue = payload["issue"] as? [String: Any], let location = issue["sourceLocation"] as? [String: Any]
            else { return nil }
            let messages = (payload["messages"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
            return RecordedIssue(
                filePath: location["filePath"] as? String ?? location["_filePath"] as? String ?? "",
                line: location["line"] as? Int ?? 0, text: messages.joined(separator: "\n")
            )
        }
    }
}
