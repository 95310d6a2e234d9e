import Foundation
import RehearseCore
@testable import RehearseMongo
import Testing

/// Starts the disposable servers these tests talk to.
///
/// Locally, without a server program, the server tests are skipped; with `CI` set they run and fail, so that CI
/// proves they ran (the CI install step provides nx-27017).
enum MongoTestServer {
    static let program: MongoServerProgram? = try? MongoServerProgram.find()
    static let isCI = !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty
    static var shouldRun: Bool { program != nil || isCI }
    static let skipReason: Comment = "no MongoDB server program (run `bash ci/install-nx27017.sh`); set CI=1 to make this a failure"

    /// Runs `body` with a fresh disposable engine and always shuts it down.
    static func withEngine<Result>(_ body: (MongoEngine) throws -> Result) throws -> Result {
        let engine = try MongoEngine.disposable()
        defer { engine.shutdown() }
        return try body(engine)
    }
}

/// A prepared script made from text, as the repository loader and ``MongoScriptParser`` would make it.
func mongoScript(_ text: String, path: String = "projects/shop/versions/v1.0.0/new-install/mongodb/migrations/001-test.json",
                 role: ScriptFile.Role = .forward) throws -> PreparedScript {
    let file = ScriptFile(
        url: URL(fileURLWithPath: "/nonexistent/" + path), displayPath: path, role: role,
        phase: role == .validator ? "validate" : "migrations", number: MigrationNumber(version: nil, sequence: 1), summary: "test"
    )
    return PreparedScript(file: file, statements: try MongoScriptParser().statements(in: text, file: path, validator: role == .validator))
}
