import Foundation
import Testing
import RehearseCore
@testable import RehearsePostgres

/// Passwords never appear, however the URL is shaped; they need not stand on the command line
/// (`REHEARSE_POSTGRES_URL`, libpq's `PGPASSWORD`, for the dump tools too); and the `rehearse_*` databases of a
/// killed run on a user's server are dropped by the next run (DESIGN.md, "Disposable databases", "Command line").
@Suite(.serialized) struct SecretsTests {
    static let password = "p@ss/w0rd@x"
    static let pieces = ["p@ss", "w0rd", "ss/w0", "w0rd@x"]

    static func expectNoSecret(_ texts: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for text in texts {
            for piece in pieces {
                #expect(!text.contains(piece), "\(piece) leaked in: \(text.prefix(2000))", sourceLocation: sourceLocation)
            }
        }
    }

    static func reportPaths() -> (URL, URL) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-secret-\(UUID().uuidString.prefix(8))")
        return (base.appendingPathExtension("xml"), base.appendingPathExtension("json"))
    }

    static func read(_ url: URL) -> String {
        (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }

    @Test(arguments: [
        "postgresql://app:p@ss/w0rd@x@127.0.0.1:1/shop?connect_timeout=2",
        "postgresql://app:p@ss/w0rd@x@127.0.0.1:notaport/shop",
        "postgresql://app:p@ss/w0rd@x@/shop?host=/nonexistent-socket-dir",
        "postgresql://app:p@ss/w0rd@x@[::1/shop",
    ])
    func aPostgresPasswordNeverAppearsInMessagesOrReports(url: String) throws {
        let (junit, json) = Self.reportPaths()
        defer { [junit, json].forEach { try? FileManager.default.removeItem(at: $0) } }
        let outcome = try RehearseProcess.run(["verify", "sample-migrations", "--project", "e-commerce", "--database", "postgresql", "--postgres-url", url, "--junit", junit.path, "--json", json.path])
        #expect(outcome.status == 2, "\(outcome.output)")
        #expect(!outcome.stderr.isEmpty)
        Self.expectNoSecret([outcome.output, Self.read(junit), Self.read(json)])
    }

    @Test func aMongoDBPasswordNeverAppears() throws {
        for url in ["mongodb://root:p@ss/w0rd@x@127.0.0.1:1/?serverSelectionTimeoutMS=500", "mongodb://root:p@ss/w0rd@x@"] {
            let outcome = try RehearseProcess.run(["verify", "sample-migrations", "--project", "e-commerce", "--database", "mongodb", "--mongodb-url", url])
            #expect(outcome.status == 2, "\(outcome.output)")
            Self.expectNoSecret([outcome.output])
        }
    }

    @Test func aPasswordWithAtAndSlashWorksAndTheEnvironmentCarriesTheURL() throws {
        let cluster = try PostgresCluster()
        defer { cluster.close() }
        let admin = try PostgresConnection(cluster.target())
        try admin.execute("CREATE ROLE app LOGIN CREATEDB PASSWORD '\(Self.password)'")
        admin.close()
        let url = "postgresql://app:\(Self.password)@/postgres?host=\(cluster.socketDirectory)&port=\(PostgresCluster.port)"
        let (junit, json) = Self.reportPaths()
        defer { [junit, json].forEach { try? FileManager.default.removeItem(at: $0) } }
        let outcome = try RehearseProcess.run(
            ["verify", "sample-migrations", "--project", "e-commerce", "--database", "postgresql", "--junit", junit.path, "--json", json.path],
            environment: ["REHEARSE_POSTGRES_URL": url]
        )
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.stdout.contains("\(cluster.socketDirectory):\(PostgresCluster.port)"), "the report names the server it used")
        Self.expectNoSecret([outcome.output, Self.read(junit), Self.read(json)])
    }

    @Test func pgpasswordReachesTheDumpToolsOfAnExistingServer() throws {
        let cluster = try PostgresCluster()
        defer { cluster.close() }
        let (junit, _) = Self.reportPaths()
        defer { try? FileManager.default.removeItem(at: junit) }
        // No password in the URL: libpq's own variable supplies it, to Rehearse and to pg_dump/pg_restore alike.
        let outcome = try RehearseProcess.run(
            ["verify", "sample-migrations", "--project", "e-commerce", "--database", "postgresql", "--junit", junit.path,
             "--postgres-url", "postgresql://\(PostgresCluster.superuser)@/postgres?host=\(cluster.socketDirectory)&port=\(PostgresCluster.port)"],
            environment: ["PGPASSWORD": cluster.password]
        )
        #expect(outcome.status == 0, "\(outcome.output)")
        let xml = Self.read(junit)
        #expect(xml.contains("upgrade v1.0.0 -&gt; v1.1.0: backup\""), "\(xml.prefix(3000))")
        #expect(!xml.contains("<failure"), "\(xml)")
        #expect(!outcome.output.contains(cluster.password))
    }

    @Test func aKilledRunsScratchDatabasesOnAUsersServerAreDroppedByTheNextRun() throws {
        let cluster = try PostgresCluster()
        defer { cluster.close() }
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-cache-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: cache) }
        let environment = [
            "REHEARSE_POSTGRES_URL": "postgresql://\(PostgresCluster.superuser)@/postgres?host=\(cluster.socketDirectory)&port=\(PostgresCluster.port)",
            "PGPASSWORD": cluster.password, "REHEARSE_CACHE_DIR": cache.path,
        ]
        let admin = try PostgresConnection(cluster.target())
        defer { admin.close() }
        try admin.execute("CREATE DATABASE rehearse_not_ours")
        func scratch() throws -> Set<String> {
            Set(try admin.execute("SELECT datname FROM pg_database WHERE datname LIKE 'rehearse\\_%'").rows.compactMap { $0[0] })
        }
        let run = RehearseProcess(["verify", "sample-migrations", "--project", "e-commerce", "--database", "postgresql", "--jobs", "1"], environment: environment)
        try run.start()
        _ = run.read(until: "install v1.0.0: forward")
        kill(run.process.processIdentifier, SIGKILL)
        _ = run.finish()
        let left = try scratch().subtracting(["rehearse_not_ours"])
        #expect(!left.isEmpty, "the killed run should have left scratch databases")

        let next = try RehearseProcess.run(["verify", "sample-migrations", "--project", "e-commerce", "--database", "postgresql"], environment: environment)
        #expect(next.status == 0, "\(next.output)")
        #expect(try scratch() == ["rehearse_not_ours"], "only the database Rehearse did not create remains")
        let records = (try? FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("scratch-databases").path)) ?? []
        #expect(records.isEmpty, "\(records)")
    }
}
