import Foundation
import Testing

/// `rehearse lint` as a user or CI runs it: formats, output file and exit statuses.
@Suite struct LintCommandTests {
    static let config = "metadata: {name: shop}\nspec:\n  databases:\n    primary: {type: postgresql}\n"
    static let install = "projects/shop/versions/v1.0.0/new-install/postgresql/schema/V1.0.0.001__Create_orders.sql"
    static let upgrade = "projects/shop/versions/v1.1.0/upgrade/from-v1.0.0/postgresql/schema-changes/V1.1.0.010__Index.sql"

    static func unsafeRepository() throws -> URL {
        try ExitStatusTests.repository([
            "projects/shop/project-config.yaml": config,
            install: "CREATE TABLE IF NOT EXISTS orders (id bigint, status text);\n",
            upgrade: "SET lock_timeout = '5s';\nCREATE INDEX IF NOT EXISTS orders_status ON orders (status);\n",
        ])
    }

    @Test func theGoodSampleExits0() throws {
        let outcome = try RehearseProcess.run(["lint", "sample-migrations/projects/e-commerce"])
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.stdout == "rehearse lint: no findings in 36 files\n")
    }

    @Test func anErrorLevelFindingExits1AndNamesFileLineColumnAndRule() throws {
        let root = try Self.unsafeRepository()
        defer { try? FileManager.default.removeItem(at: root) }
        let outcome = try RehearseProcess.run(["lint", root.path])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("\(root.path)/\(Self.upgrade):2:1: create-index-non-concurrently: CREATE INDEX orders_status on orders"))
        #expect(outcome.stdout.hasSuffix("rehearse lint: 1 error, 0 warnings, 0 advisories in 2 files\n"))
    }

    @Test func sarifGoesToTheOutputFileAndTheListingToStandardOutput() throws {
        let root = try Self.unsafeRepository()
        defer { try? FileManager.default.removeItem(at: root) }
        let sarif = root.appendingPathComponent("reports/lint.sarif")
        let outcome = try RehearseProcess.run(["lint", root.path, "--format", "sarif", "--output", sarif.path])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("create-index-non-concurrently"))
        let log = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: sarif)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let results = (log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]
        #expect(results?.map { $0["ruleId"] as? String } == ["create-index-non-concurrently"])
    }

    @Test func githubAnnotationsAndJSON() throws {
        let root = try Self.unsafeRepository()
        defer { try? FileManager.default.removeItem(at: root) }
        let github = try RehearseProcess.run(["lint", root.path, "--format", "github"])
        #expect(github.stdout.hasPrefix("::error file=\(root.path)/\(Self.upgrade),line=2,col=1,title=create-index-non-concurrently::"))
        let json = try RehearseProcess.run(["lint", root.path, "--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(document["formatVersion"] as? Int == 1)
        #expect(json.status == 1)
    }

    @Test func unusableInputExits2() throws {
        let missing = try RehearseProcess.run(["lint", "no/such/migrations"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no/such/migrations: no such file or directory"))
        let root = try ExitStatusTests.repository([
            "projects/shop/project-config.yaml": Self.config + "  lint:\n    allow: [set-not-nul]\n",
            Self.install: "CREATE TABLE IF NOT EXISTS orders (id bigint);\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let unknown = try RehearseProcess.run(["lint", root.path])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("projects/shop/project-config.yaml:6: allows `set-not-nul`, which is not a lint rule; did you mean `set-not-null`?"))
        let format = try RehearseProcess.run(["lint", root.path, "--format", "xml"])
        #expect(format.status == 2)
    }
}
