import Foundation
import Testing
@testable import RehearseKit

/// Failures and errors as test framework issues: the text, and the absolute file and line they point at.
@Suite struct RehearsalIssueTests {
    /// A repository typed as `repo` whose root is a real temporary folder holding `db/V1.sql`.
    static func repository() throws -> (LoadedRepository, URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-issue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("db"), withIntermediateDirectories: true)
        try "select 1;".write(to: root.appendingPathComponent("db/V1.sql"), atomically: true, encoding: .utf8)
        return (LoadedRepository(root: root, displayPath: "repo", layout: "primary", suites: []), root)
    }

    static func report(_ failures: [CheckFailure]) -> RunReport {
        let results = failures.enumerated().map { index, failure in
            CheckResult(subject: .install(SemanticVersion(major: 1, minor: index, patch: 0)), check: .forward, outcome: .failed(failure))
        }
        return RunReport(suites: [SuiteReport(
            project: "shop", database: .postgresql, server: nil,
            results: [CheckResult(subject: .project, check: .policy, outcome: .passed)] + results, duration: 0
        )], startedAt: Date(), duration: 0)
    }

    @Test func aFailurePointsAtTheAbsoluteFileAndNamesCheckFileAndLine() throws {
        let (repository, root) = try Self.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let failure = CheckFailure(ScriptFailure(file: "repo/db/V1.sql", line: 4, column: 2, code: "SQLSTATE 42P01", message: "relation \"t\" does not exist", hint: "create it first"))
        let issues = RehearsalIssue.issues(in: Self.report([failure]), repository: repository)
        #expect(issues.count == 1)
        #expect(issues[0].filePath == root.appendingPathComponent("db/V1.sql").path)
        #expect(issues[0].line == 4)
        #expect(issues[0].column == 2)
        #expect(issues[0].displayPath == "repo/db/V1.sql")
        #expect(issues[0].text == """
        install v1.0.0: forward failed in shop/postgresql
        repo/db/V1.sql:4:2: SQLSTATE 42P01: relation "t" does not exist

        HINT: create it first
        """)
    }

    @Test func aDiffNamesItsFileOnALineOfItsOwnAndPointsAtLineOne() throws {
        let (repository, root) = try Self.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let failure = CheckFailure(message: "the schema after rollback differs", file: "repo/db/V1.sql", details: "+ index i")
        let issue = try #require(RehearsalIssue.issues(in: Self.report([failure]), repository: repository).first)
        #expect(issue.text == "install v1.0.0: forward failed in shop/postgresql\nthe schema after rollback differs\nat repo/db/V1.sql\n\n+ index i")
        #expect(issue.line == 1)
        #expect(issue.filePath != nil)
    }

    @Test func aFolderAnOptionOrAMissingFileNamesNoFileToOpen() throws {
        let (repository, root) = try Self.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let failures = [
            CheckFailure(message: "no rollback/ folder", file: "repo/db"),
            CheckFailure(message: "gone", file: "repo/db/V9.sql", line: 3),
            CheckFailure(message: "nowhere"),
        ]
        let issues = RehearsalIssue.issues(in: Self.report(failures), repository: repository)
        #expect(issues.map(\.filePath) == [nil, nil, nil])
        #expect(issues.map(\.displayPath) == ["repo/db", "repo/db/V9.sql", nil])
        let option = try #require(RehearsalIssue.issues(for: InputError(file: "--from", "`V9` is not a migration")))
        #expect(option.map(\.filePath) == [nil])
        #expect(option[0].text == "the migration repository cannot be rehearsed\n--from: `V9` is not a migration")
    }

    @Test func inputErrorsAreIssuesEachAndOtherErrorsAreNot() throws {
        let (repository, root) = try Self.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let errors = InputErrors([InputError(file: "repo/db/V1.sql", line: 2, column: 5, "meta-command"), InputError("bad")])
        let issues = try #require(RehearsalIssue.issues(for: errors, repository: repository))
        #expect(issues.count == 2)
        #expect(issues[0].filePath == root.appendingPathComponent("db/V1.sql").path)
        #expect(issues[0].line == 2)
        #expect(issues[0].column == 5)
        let environment = try #require(RehearsalIssue.issues(for: EnvironmentError("install postgresql")))
        #expect(environment == [RehearsalIssue(text: "Rehearse cannot run here\ninstall postgresql")])
        #expect(RehearsalIssue.issues(for: CancellationError()) == nil)
    }

    @Test func displayPathsResolveAgainstTheRoot() {
        let repository = LoadedRepository(root: URL(fileURLWithPath: "/srv/app/db/migrations"), displayPath: "db/migrations", layout: "primary", suites: [])
        #expect(repository.url(forDisplayPath: "db/migrations/V1.sql").path == "/srv/app/db/migrations/V1.sql")
        #expect(repository.url(forDisplayPath: "db/migrations").path == "/srv/app/db/migrations")
        #expect(repository.url(forDisplayPath: "/abs/V1.sql").path == "/abs/V1.sql")
        let dot = LoadedRepository(root: URL(fileURLWithPath: "/srv/app"), displayPath: ".", layout: "primary", suites: [])
        #expect(dot.url(forDisplayPath: "projects/x/V1.sql").path == "/srv/app/projects/x/V1.sql")
    }
}

/// Cancellation reaches every engine a run started, also one started after it.
@Suite struct LiveEnginesTests {
    final class CountingEngine: DatabaseEngine, @unchecked Sendable {
        let kind = DatabaseKind.postgresql
        let serverInfo = ServerInfo(product: "counting", version: "1", location: "memory")
        private let lock = NSLock()
        private var stops = 0
        var shutdowns: Int { lock.withLock { stops } }
        func createDatabase(label: String) throws -> any ScratchDatabase { throw EnvironmentError("no databases here") }
        func shutdown() { lock.withLock { stops += 1 } }
    }

    @Test func cancelStopsEveryEngineAndLaterOnesAtOnce() {
        let live = LiveEngines()
        let first = CountingEngine(), later = CountingEngine()
        live.add(first)
        #expect(first.shutdowns == 0)
        live.cancel()
        #expect(first.shutdowns == 1)
        live.add(later)
        #expect(later.shutdowns == 1)
    }
}
