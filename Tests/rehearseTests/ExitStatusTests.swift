import Foundation
import Testing

/// Exit statuses and error messages of the built binary (DESIGN.md, "Command line").
@Suite struct ExitStatusTests {
    static let config = "metadata: {name: shop}\nspec:\n  databases:\n    primary: {type: postgresql}\n"

    static func repository(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-cli-\(UUID().uuidString)")
        for (path, contents) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test func malformedYAMLExits2NamingFileAndLine() throws {
        let root = try Self.repository([
            "projects/shop/project-config.yaml": "spec:\n  databases:\n    primary: {type: postgresql\n",
            "projects/shop/versions/v1.0.0/new-install/postgresql/schema/V1.0.0.001__A.sql": "create table a (id int);",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let outcome = try RehearseProcess.run(["verify", root.path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("projects/shop/project-config.yaml:"))
        #expect(outcome.stderr.contains("malformed YAML"))
    }

    @Test func missingPathExits2NamingIt() throws {
        let outcome = try RehearseProcess.run(["verify", "no/such/migrations"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("no/such/migrations: no such file or directory"))
    }

    @Test func unparsableFileNameExits2NamingTheFile() throws {
        let root = try Self.repository([
            "projects/shop/project-config.yaml": Self.config,
            "projects/shop/versions/v1.0.0/new-install/postgresql/schema/create_orders.sql": "create table a (id int);",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let outcome = try RehearseProcess.run(["list", root.path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("schema/create_orders.sql: file name does not parse"))
    }

    @Test func unparsableSQLExits2WithThePosition() throws {
        let root = try Self.repository([
            "projects/shop/project-config.yaml": Self.config,
            "projects/shop/versions/v1.0.0/new-install/postgresql/schema/V1.0.0.001__A.sql": "create table a (id int);\n\\set ON_ERROR_STOP on\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let outcome = try RehearseProcess.run(["verify", root.path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("V1.0.0.001__A.sql:2:"))
        #expect(outcome.stderr.contains("meta-command"))
    }

    /// UPchieve/subway has three dbmate files whose down marker a formatter indented: all are named, and the exit is 2.
    @Test func severalMalformedFilesExit2NamingEach() throws {
        let root = try Self.repository([
            "1_good.sql": "-- migrate:up\nSELECT 1;\n-- migrate:down\n",
            "2_indented.sql": "-- migrate:up\nSELECT 2\n    -- migrate:down\n",
            "3_down_first.sql": "-- migrate:down\nSELECT 1;\n-- migrate:up\nSELECT 1;\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let outcome = try RehearseProcess.run(["verify", root.path])
        #expect(outcome.status == 2, "\(outcome.output)")
        #expect(outcome.stderr.contains("2_indented.sql:3:"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("3_down_first.sql:1:"), "\(outcome.stderr)")
    }

    @Test func badOptionExits2() throws {
        #expect(try RehearseProcess.run(["verify", "--jobs", "0", "sample-migrations"]).status == 2)
        #expect(try RehearseProcess.run(["verify", "--database", "oracle"]).status == 2)
        #expect(try RehearseProcess.run(["verify", "--project", "nope", "sample-migrations"]).status == 2)
    }

    @Test func listPrintsThePlanWithoutServers() throws {
        let outcome = try RehearseProcess.run(["list", "sample-migrations", "--project", "e-commerce"])
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.stdout.contains("install v1.0.0"))
        #expect(outcome.stdout.contains("upgrade v1.0.0 -> v1.1.0"))
        #expect(outcome.stdout.contains("V1.0.0.001__"))
    }

    @Test func aPasswordInTheURLNeverAppears() throws {
        let outcome = try RehearseProcess.run([
            "verify", "sample-migrations", "--project", "e-commerce", "--database", "postgresql",
            "--postgres-url", "postgresql://rehearse:s3cr3t-pw@127.0.0.1:1/postgres?connect_timeout=2",
        ])
        #expect(outcome.status == 2, "\(outcome.output)")
        #expect(!outcome.output.contains("s3cr3t-pw"))
        #expect(outcome.stderr.contains("127.0.0.1:1"))

        let malformed = try RehearseProcess.run(["verify", "sample-migrations", "--project", "e-commerce", "--postgres-url", "postgresql://app:Pa%zzw0rd@db/shop"])
        #expect(malformed.status == 2)
        #expect(malformed.stderr.contains("invalid PostgreSQL URL"))
        #expect(!malformed.output.contains("Pa%zzw0rd"))
    }

    static let mongoConfig = "spec:\n  databases:\n    docs: {type: mongodb}\n"

    @Test func anUnusableMongoDBURLExits2InsteadOfSkipping() throws {
        let outcome = try RehearseProcess.run(["verify", "sample-migrations", "--project", "e-commerce", "--database", "mongodb", "--mongodb-url", "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=500"])
        #expect(outcome.status == 2, "\(outcome.output)")
    }

    @Test func malformedExtendedJSONExits2NamingFileLineAndColumn() throws {
        let root = try Self.repository([
            "projects/docs/project-config.yaml": Self.mongoConfig,
            "projects/docs/versions/v1.0.0/new-install/mongodb/migrations/001-create-orders.json": "[\n  {\"create\": \"orders\",}\n]\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let outcome = try RehearseProcess.run(["verify", root.path])
        #expect(outcome.status == 2, "\(outcome.output)")
        #expect(outcome.stderr.contains("001-create-orders.json:2:"), "\(outcome.stderr)")
    }

    @Test func javascriptSyntaxErrorExits2NamingFileLineAndColumn() throws {
        let root = try Self.repository([
            "projects/docs/project-config.yaml": Self.mongoConfig,
            "projects/docs/versions/v1.0.0/new-install/mongodb/migrations/20240101-add-index.js": "module.exports = {\n  async up(db) {\n    await db.collection('a').createIndex({ n: 1 } { unique: true });\n  },\n};\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let outcome = try RehearseProcess.run(["verify", root.path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("20240101-add-index.js:3:"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("JavaScript syntax error: SyntaxError"), "\(outcome.stderr)")
    }

    @Test func javascriptMigrationWithoutNodeExits2SayingWhatToInstall() throws {
        let root = try Self.repository([
            "projects/docs/project-config.yaml": Self.mongoConfig,
            "projects/docs/versions/v1.0.0/new-install/mongodb/migrations/20240101-add-index.js": "module.exports = { async up(db) {} };\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let outcome = try RehearseProcess.run(["verify", root.path], environment: ["PATH": root.path, "REHEARSE_NODE": ""])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("need Node.js"), "\(outcome.stderr)")
    }
}
