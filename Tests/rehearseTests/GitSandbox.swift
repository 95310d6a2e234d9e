import Foundation

/// A temporary git repository holding a copy of sample projects, for `--changed-since` and the pre-push hook.
struct GitSandbox {
    let root: URL

    /// Copies `projects` of sample-migrations into `<root>/migrations/projects/` and commits them on `main`.
    init(projects: [String]) throws {
        try self.init(copying: projects.map { ("projects/\($0)", "projects/\($0)") })
    }

    /// Copies a flat-layout sample (`layouts/flyway-shop`) to `<root>/migrations` and commits it on `main`.
    init(layout: String) throws {
        try self.init(copying: [("layouts/\(layout)", "")])
    }

    private init(copying folders: [(sample: String, target: String)]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-git-\(UUID().uuidString)")
        for (sample, target) in folders {
            let destination = root.appendingPathComponent("migrations").appendingPathComponent(target)
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            let source = RehearseProcess.packageRoot.appendingPathComponent("sample-migrations/\(sample)")
            try FileManager.default.copyItem(at: source, to: destination)
        }
        try git("init", "-q", "-b", "main")
        try commitAll("the samples")
    }

    var migrations: URL { root.appendingPathComponent("migrations") }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }

    /// Runs git in the sandbox with a fixed identity; throws when it fails.
    @discardableResult
    func git(_ arguments: String...) throws -> String {
        try Self.git(arguments, in: root)
    }

    @discardableResult
    static func git(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "user.name=Rehearse Test", "-c", "user.email=test@rehearse.invalid", "-c", "commit.gpgsign=false"] + arguments
        process.currentDirectoryURL = directory
        var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        variables.merge(environment) { _, new in new }
        process.environment = variables
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw SandboxError(description: "git \(arguments.joined(separator: " ")): \(text)")
        }
        return text
    }

    func commitAll(_ message: String) throws {
        try git("add", "-A")
        try git("commit", "-q", "-m", message)
    }

    /// Appends `text` to a file below `migrations/`.
    func append(_ text: String, to path: String) throws {
        let url = migrations.appendingPathComponent(path)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    func write(_ text: String, to path: String) throws {
        let url = migrations.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
}

/// The plan `rehearse list --json` prints, as far as the tests read it.
struct ListedPlan: Decodable {
    struct Check: Decodable {
        let name: String
        let status: String
        let reason: String?
    }

    struct Subject: Decodable {
        let id: String
        let rehearsed: Bool
        let checks: [Check]
    }

    struct Suite: Decodable {
        let name: String
        let database: String
        let checkCount: Int
        let policy: Check?
        let subjects: [Subject]
    }

    let formatVersion: Int
    let layout: String
    let checkCount: Int
    let suites: [Suite]

    static func list(_ arguments: [String], environment: [String: String] = [:]) throws -> ListedPlan {
        let outcome = try RehearseProcess.run(["list", "--json"] + arguments, environment: environment)
        guard outcome.status == 0 else { throw SandboxError(description: "list failed: \(outcome.output)") }
        return try JSONDecoder().decode(ListedPlan.self, from: Data(outcome.stdout.utf8))
    }

    /// `suite/test case` for every test case the plan reports.
    var testCases: [String] {
        suites.flatMap { suite in
            (suite.policy.map { ["\(suite.name)/\($0.name)"] } ?? []) + suite.subjects.flatMap { $0.checks.map { "\(suite.name)/\($0.name)" } }
        }
    }

    /// `suite/subject` of every rehearsed subject.
    var rehearsed: [String] {
        suites.flatMap { suite in suite.subjects.filter(\.rehearsed).map { "\(suite.name)/\($0.id)" } }
    }
}

/// The test cases of a `verify --json` report.
struct ReportedRun: Decodable {
    struct Check: Decodable {
        let name: String
        let status: String
        let message: String?
    }

    struct Suite: Decodable {
        let name: String
        let checks: [Check]
    }

    let suites: [Suite]

    static func read(_ url: URL) throws -> ReportedRun {
        try JSONDecoder().decode(ReportedRun.self, from: Data(contentsOf: url))
    }

    var testCases: [String] {
        suites.flatMap { suite in suite.checks.map { "\(suite.name)/\($0.name)" } }
    }
}

struct SandboxError: Error, CustomStringConvertible {
    let description: String
}
