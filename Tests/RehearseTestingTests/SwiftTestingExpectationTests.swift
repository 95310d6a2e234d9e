import Foundation
import RehearseTesting
import Testing

/// `expectRehearsalPasses` inside this very test run: the issues it records are caught as known issues and
/// inspected, on the bundled samples and a real disposable PostgreSQL cluster.
@Suite(.serialized) struct SwiftTestingExpectationTests {
    static let samples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sample-migrations")

    /// The issues recorded while `body` runs, which would otherwise fail this test.
    static func recordedIssues(_ body: @Sendable () async throws -> Void) async throws -> [Issue] {
        let issues = Mutex<[Issue]>([])
        try await withKnownIssue(isIntermittent: true) {
            try await body()
        } matching: { issue in
            issues.withLock { $0.append(issue) }
            return true
        }
        return issues.withLock { $0 }
    }

    @Test func oneIssuePerFailingCheckAtTheSQLFileAndLine() async throws {
        let request = RehearsalRequest(
            path: Self.samples.path, projects: ["broken-column-without-if-not-exists", "broken-impossible-validator"],
            databases: [.postgresql], options: RehearsalOptions(jobs: 2)
        )
        let issues = try await Self.recordedIssues { try await expectRehearsalPasses(request) }
        #expect(issues.count == 2, "\(issues.map(\.description))")
        let projects = Self.samples.appendingPathComponent("projects").path
        let expected: [(text: String, file: String, line: Int)] = [
            (
                "upgrade v1.0.0 -> v1.1.0: idempotence failed in broken-column-without-if-not-exists/postgresql",
                "\(projects)/broken-column-without-if-not-exists/versions/v1.1.0/upgrade/from-v1.0.0/postgresql/schema-changes/V1.1.0.010__Add_customer_phone.sql", 3
            ),
            (
                "install v1.0.0: validate failed in broken-impossible-validator/postgresql",
                "\(projects)/broken-impossible-validator/versions/v1.0.0/new-install/postgresql/validate/01_order_statuses.sql", 5
            ),
        ]
        for (issue, want) in zip(issues, expected) {
            let text = issue.comments.map(\.rawValue).joined(separator: "\n")
            #expect(text.hasPrefix(want.text + "\n"), "\(text)")
            #expect(text.contains(".sql:\(want.line):"), "the text names the file and line: \(text)")
            #expect(issue.sourceLocation?.filePath == want.file)
            #expect(issue.sourceLocation?.line == want.line)
            #expect(issue.sourceLocation?.fileName == URL(fileURLWithPath: want.file).lastPathComponent)
        }
    }

    @Test func aGoodRepositoryRecordsNothingAndReturnsTheReport() async throws {
        let request = RehearsalRequest(path: Self.samples.path, projects: ["e-commerce"], databases: [.postgresql], options: RehearsalOptions(jobs: 2))
        let report = try #require(try await expectRehearsalPasses(request))
        #expect(report.succeeded)
        #expect(report.total > 20)
    }

    @Test func anInputErrorIsAnIssueAtItsFileAndLine() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-testing-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let script = root.appendingPathComponent("projects/shop/versions/v1.0.0/new-install/postgresql/schema/V1.0.0.001__A.sql")
        try FileManager.default.createDirectory(at: script.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "metadata: {name: shop}\nspec:\n  databases:\n    primary: {type: postgresql}\n"
            .write(to: root.appendingPathComponent("projects/shop/project-config.yaml"), atomically: true, encoding: .utf8)
        try "create table a (id int);\n\\set ON_ERROR_STOP on\n".write(to: script, atomically: true, encoding: .utf8)
        let path = root.path
        let issues = try await Self.recordedIssues {
            let report = try await expectRehearsalPasses(RehearsalRequest(path: path))
            #expect(report == nil)
        }
        #expect(issues.count == 1)
        #expect(issues.first?.sourceLocation?.filePath == script.path)
        #expect(issues.first?.sourceLocation?.line == 2)
        #expect(issues.first?.comments.first?.rawValue.hasPrefix("the migration repository cannot be rehearsed\n") == true)
    }

    @Test func anIssueWithoutAFileStaysAtTheCall() async throws {
        let issues = try await Self.recordedIssues {
            try await expectRehearsalPasses(RehearsalRequest(path: "/no/such/repository"))
        }
        #expect(issues.count == 1)
        // A path that does not exist names no file to open: the issue is the test's own line.
        #expect(issues.first?.sourceLocation?.fileName == "SwiftTestingExpectationTests.swift")
    }

    @Test func cancellingTheTestStopsTheRehearsal() async throws {
        let request = RehearsalRequest(path: Self.samples.path, projects: ["e-commerce"], databases: [.postgresql], options: RehearsalOptions(jobs: 1))
        let task = Task { try await expectRehearsalPasses(request) }
        try await Task.sleep(for: .milliseconds(1500))
        let cancelled = Date()
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        // The whole run takes well over ten seconds here; stopped servers end it at once.
        #expect(Date().timeIntervalSince(cancelled) < 10)
    }
}

/// A value behind a lock, for the issues the known-issue matcher sees from other tasks.
final class Mutex<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) {
        self.value = value
    }

    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
