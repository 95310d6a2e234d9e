import Foundation
import Testing

/// Missing servers fail closed (DESIGN.md, "Disposable databases"): no MongoDB server is exit 2 saying what to
/// install, unless `--skip-missing mongodb` turns those checks into skips.
@Suite(.serialized) struct MissingServerTests {
    /// An environment where no MongoDB server can be found: no mongod or nx-27017 on PATH, no variables naming
    /// one, and a HOME and cache folder without Rehearse's or pip's nx-27017. PostgreSQL is still found in
    /// /usr/lib/postgresql/*/bin.
    static func withoutMongoDB(_ body: ([String: String]) throws -> Void) throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-no-mongo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        try body(["PATH": "/usr/bin:/bin", "HOME": empty.path, "REHEARSE_CACHE_DIR": empty.path, "REHEARSE_NX27017": "", "REHEARSE_MONGOD": ""])
    }

    @Test func noMongoDBServerExits2SayingWhatToInstall() throws {
        try Self.withoutMongoDB { environment in
            let junit = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-\(UUID().uuidString).xml")
            defer { try? FileManager.default.removeItem(at: junit) }
            let outcome = try RehearseProcess.run(["verify", "sample-migrations", "--project", "e-commerce", "--junit", junit.path], environment: environment)
            #expect(outcome.status == 2, "\(outcome.output)")
            #expect(outcome.stderr.contains("e-commerce/mongodb: no MongoDB server found"), "\(outcome.stderr)")
            #expect(outcome.stderr.contains("pip install nx-27017"))
            #expect(outcome.stderr.contains("mongod"))
            #expect(outcome.stderr.contains("--mongodb-url"))
            #expect(outcome.stderr.contains("--skip-missing mongodb"))
            // Nothing in Rehearse's own checkout is a remedy for a user of the binary.
            #expect(!outcome.stderr.contains("ci/"))
            // Fails before anything ran: no PostgreSQL check is reported either.
            #expect(!outcome.stdout.contains("PASS"), "\(outcome.stdout)")
        }
    }

    @Test func skipMissingSkipsTheMongoDBChecksAndPostgreSQLDecidesTheStatus() throws {
        try Self.withoutMongoDB { environment in
            let json = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-\(UUID().uuidString).json")
            defer { try? FileManager.default.removeItem(at: json) }
            let passing = try RehearseProcess.run(
                ["verify", "sample-migrations", "--project", "e-commerce", "--skip-missing", "mongodb", "--json", json.path], environment: environment
            )
            #expect(passing.status == 0, "\(passing.output)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
            let suites = try #require(document["suites"] as? [[String: Any]])
            let mongo = try #require(suites.first { $0["name"] as? String == "e-commerce/mongodb" })
            let postgres = try #require(suites.first { $0["name"] as? String == "e-commerce/postgresql" })
            let mongoChecks = try #require(mongo["checks"] as? [[String: Any]])
            let skipped = mongoChecks.filter { $0["subject"] as? String != "project" }
            #expect(!skipped.isEmpty)
            #expect(skipped.allSatisfy { $0["status"] as? String == "skipped" })
            #expect(skipped.allSatisfy { ($0["message"] as? String ?? "").contains("no MongoDB server found (--skip-missing mongodb)") })
            #expect(((postgres["totals"] as? [String: Any])?["passed"] as? Int ?? 0) > 20)

            let failing = try RehearseProcess.run(
                ["verify", "sample-migrations", "--project", "e-commerce", "--project", "broken-impossible-validator", "--skip-missing", "mongodb"],
                environment: environment
            )
            #expect(failing.status == 1, "\(failing.output)")
            #expect(failing.stdout.contains("install v1.0.0: validate"))
            #expect(failing.stdout.contains("no MongoDB server found (--skip-missing mongodb)"))
        }
    }

    @Test func skipMissingTakesADatabaseName() throws {
        let outcome = try RehearseProcess.run(["verify", "sample-migrations", "--skip-missing", "oracle"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("--skip-missing"))
    }
}
