import Foundation
import Testing
import RehearseCore
@testable import RehearsePostgres

/// A suite trait that starts one disposable PostgreSQL server for the whole suite and shuts it down afterwards.
struct DisposablePostgres: SuiteTrait, TestScoping {
    @TaskLocal static var current: PostgresEngine?

    /// The suite's engine; only valid inside a suite marked `.disposablePostgres`.
    static var engine: PostgresEngine {
        get throws { try #require(current, "mark the suite with .disposablePostgres") }
    }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let engine = try PostgresEngine.disposable()
        defer { engine.shutdown() }
        try await Self.$current.withValue(engine) {
            try await function()
        }
    }
}

extension Trait where Self == DisposablePostgres {
    static var disposablePostgres: Self { DisposablePostgres() }
}

/// Writes SQL to a temporary file and parses it the way the harness does.
enum TestScripts {
    static func prepare(
        _ sql: String, name: String = "V1.0.0.001__test.sql", role: ScriptFile.Role = .forward, execution: ExecutionMode = .autocommit
    ) throws -> PreparedScript {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-test-\(UUID().uuidString)-\(name)")
        try Data(sql.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let file = ScriptFile(
            url: url, displayPath: "projects/demo/\(name)", role: role, phase: role == .validator ? "validate" : "schema", number: nil,
            summary: "test", execution: execution
        )
        return try PostgresScriptParser().prepare(file)
    }
}

extension PostgresDatabase {
    /// The failure `body` throws, or nil (recorded as an issue) when it does not throw one.
    func failure(_ body: (PostgresDatabase) throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> ScriptFailure? {
        do {
            try body(self)
            Issue.record("expected a ScriptFailure", sourceLocation: sourceLocation)
        } catch let failure as ScriptFailure {
            return failure
        } catch {
            Issue.record("expected a ScriptFailure, got \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    func scalar(_ sql: String) throws -> String? {
        try execute(sql).rows.first?.first ?? nil
    }
}
