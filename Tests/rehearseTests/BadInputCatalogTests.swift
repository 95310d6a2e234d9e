import Foundation
import Testing

/// A catalogue of bad inputs, each run through the built binary: it must exit 2 (not crash, not hang), say
/// which file or flag is wrong, and leave nothing behind (DESIGN.md, "Command line": exit status 2).
///
/// The table doubles as the README's catalogue of what Rehearse refuses and how it says so.
@Suite struct BadInputCatalogTests {
    struct Case: Sendable, CustomTestStringConvertible {
        /// What is wrong, in a few words.
        let name: String
        /// Repository files, relative to its root; empty for cases about flags on the samples.
        var files: [String: String] = [:]
        /// Raw bytes for files that are not text.
        var binaryFiles: [String: [UInt8]] = [:]
        /// Symbolic links inside the repository to a file outside it, holding this text.
        var outsideLinks: [String: String] = [:]
        /// The command line; `$REPO` is the repository, `$TMP` a scratch folder.
        var arguments: [String] = ["verify", "$REPO"]
        /// What the message must contain: the file or flag at fault (and what is expected).
        let expect: [String]

        var testDescription: String { name }
    }

    static let pg = "metadata: {name: shop}\nspec:\n  databases:\n    primary: {type: postgresql}\n"
    static let mongo = "metadata: {name: docs}\nspec:\n  databases:\n    docs: {type: mongodb}\n"
    static let schema = "projects/shop/versions/v1.0.0/new-install/postgresql/schema/"
    static let migrations = "projects/docs/versions/v1.0.0/new-install/mongodb/migrations/"
    static let table = "create table a (id int);\n"
    static func shop(_ extra: [String: String], config: String = pg) -> [String: String] {
        ["projects/shop/project-config.yaml": config].merging(extra) { _, new in new }
    }
    static func shopSQL(_ sql: String) -> [String: String] { shop([schema + "V1.0.0.001__A.sql": sql]) }
    static func docs(_ json: String, file: String = "001-create.json") -> [String: String] {
        ["projects/docs/project-config.yaml": mongo, migrations + file: json]
    }
    static let sample = ["verify", "sample-migrations", "--project", "e-commerce", "--database", "postgresql"]

    static let catalogue: [Case] = [
        // project-config.yaml
        Case(name: "malformed YAML", files: shop([schema + "V1.0.0.001__A.sql": table], config: "spec:\n  databases:\n    primary: {type: postgresql\n"), expect: ["project-config.yaml:", "malformed YAML"]),
        Case(name: "empty project-config.yaml", files: shop([schema + "V1.0.0.001__A.sql": table], config: ""), expect: ["project-config.yaml:1", "empty"]),
        Case(name: "misspelt key polices", files: shop([schema + "V1.0.0.001__A.sql": table], config: pg + "  migration:\n    polices: {require_rollback: true}\n"), expect: ["project-config.yaml:6", "`polices`", "`policies`"]),
        Case(name: "misspelt key compatibilty_matrix", files: shop([schema + "V1.0.0.001__A.sql": table], config: pg + "  compatibilty_matrix: {}\n"), expect: ["project-config.yaml:5", "`compatibility_matrix`"]),
        Case(name: "misspelt key tpye", files: shop([schema + "V1.0.0.001__A.sql": table], config: "spec:\n  databases:\n    primary: {tpye: postgresql}\n"), expect: ["project-config.yaml:3", "`tpye`", "`type`"]),
        Case(name: "misspelt top-level key", files: shop([schema + "V1.0.0.001__A.sql": table], config: "metdata: {name: x}\nspec:\n  databases:\n    primary: {type: postgresql}\n"), expect: ["project-config.yaml:1", "`metadata`"]),
        Case(name: "unknown database type", files: shop([schema + "V1.0.0.001__A.sql": table], config: "spec:\n  databases:\n    primary: {type: oracle}\n"), expect: ["project-config.yaml:3", "oracle"]),
        Case(name: "no spec", files: shop([schema + "V1.0.0.001__A.sql": table], config: "metadata: {name: x}\n"), expect: ["project-config.yaml", "spec"]),
        Case(name: "policy that is not a boolean", files: shop([schema + "V1.0.0.001__A.sql": table], config: pg + "  migration:\n    policies: {require_rollback: maybe}\n"), expect: ["project-config.yaml:6", "true or false"]),
        Case(name: "matrix version that is not a version", files: shop([schema + "V1.0.0.001__A.sql": table], config: pg + "  compatibility_matrix:\n    v1.0.0: {upgrades_to: [\"1.1\"]}\n"), expect: ["project-config.yaml:6", "v<major>.<minor>.<patch>"]),
        Case(name: "matrix names a missing version", files: shop([schema + "V1.0.0.001__A.sql": table], config: pg + "  compatibility_matrix:\n    v1.0.0: {upgrades_to: [v9.0.0]}\n"), expect: ["project-config.yaml", "v9.0.0"]),
        Case(name: "two PostgreSQL databases", files: shop([schema + "V1.0.0.001__A.sql": table], config: pg + "    other: {type: postgresql}\n"), expect: ["project-config.yaml:5", "second postgresql"]),
        Case(name: "top level is a list", files: shop([schema + "V1.0.0.001__A.sql": table], config: "- spec\n- metadata\n"), expect: ["project-config.yaml:1", "mapping"]),
        Case(name: "project-config.yaml not UTF-8", files: [schema + "V1.0.0.001__A.sql": table], binaryFiles: ["projects/shop/project-config.yaml": [0x73, 0x70, 0xff, 0xfe, 0x0a]], expect: ["project-config.yaml", "UTF-8"]),
        Case(name: "duplicated YAML keys", files: shop([schema + "V1.0.0.001__A.sql": table], config: pg + "spec: {}\n"), expect: ["project-config.yaml", "duplicated"]),

        // layout
        Case(name: "folder with neither projects/ nor a config", files: ["notes.txt": "hello"], expect: ["$REPO", "matches no layout"]),
        Case(name: "empty projects/", files: ["projects/.keep": ""], expect: ["projects", "no project folders"]),
        Case(name: "no versions/", files: ["projects/shop/project-config.yaml": pg], expect: ["projects/shop/versions", "missing"]),
        Case(name: "version folder without v", files: shop(["projects/shop/versions/1.0.0/new-install/postgresql/schema/V1.0.0.001__A.sql": table]), expect: ["versions/1.0.0", "v<major>.<minor>.<patch>"]),
        Case(name: "v01.0.0 beside v1.0.0", files: shop([schema + "V1.0.0.001__A.sql": table, "projects/shop/versions/v01.0.0/new-install/postgresql/schema/V1.0.0.001__A.sql": table]), expect: ["versions/v01.0.0", "versions/v1.0.0", "same version"]),
        Case(name: "v1.00.0 beside v1.0.0", files: shop([schema + "V1.0.0.001__A.sql": table, "projects/shop/versions/v1.00.0/new-install/postgresql/schema/V1.0.0.001__A.sql": table]), expect: ["versions/v1.00.0", "versions/v1.0.0", "same version"]),
        Case(name: "migration file name that does not parse", files: shop([schema + "create_orders.sql": table]), expect: ["schema/create_orders.sql", "file name does not parse"]),
        Case(name: "forward file in rollback/", files: shop([schema + "V1.0.0.001__A.sql": table, "projects/shop/versions/v1.0.0/new-install/postgresql/rollback/V1.0.0.001__A.sql": ""]), expect: ["rollback/V1.0.0.001__A.sql", "undo file"]),
        Case(name: "file naming another version", files: shop([schema + "V1.1.0.001__A.sql": table]), expect: ["schema/V1.1.0.001__A.sql", "names version 1.1.0"]),
        Case(name: "upgrade folder without from-v", files: shop([schema + "V1.0.0.001__A.sql": table, "projects/shop/versions/v1.1.0/upgrade/1.0.0/schema-changes/V1.1.0.001__B.sql": table]), expect: ["upgrade/1.0.0", "from-v"]),
        Case(name: "upgrade from a newer version", files: shop([schema + "V1.0.0.001__A.sql": table, "projects/shop/versions/v1.0.0/upgrade/from-v2.0.0/schema-changes/V1.0.0.002__B.sql": table]), expect: ["upgrade/from-v2.0.0", "not a newer version"]),
        Case(name: "upgrade from a version without a folder", files: shop([schema + "V1.0.0.001__A.sql": table, "projects/shop/versions/v1.1.0/upgrade/from-v0.9.0/schema-changes/V1.1.0.001__B.sql": table]), expect: ["from-v0.9.0", "no versions/v0.9.0/"]),
        Case(name: "unknown database folder", files: shop(["projects/shop/versions/v1.0.0/new-install/mysql/schema/V1.0.0.001__A.sql": table]), expect: ["new-install/mysql", "postgresql/ or mongodb/"]),
        Case(name: "unknown phase folder", files: shop(["projects/shop/versions/v1.0.0/new-install/postgresql/scheme/V1.0.0.001__A.sql": table]), expect: ["postgresql/scheme", "unexpected folder"]),
        Case(name: "two files with one number", files: shop([schema + "V1.0.0.001__A.sql": table, schema + "V1.0.0.001__B.sql": table]), expect: ["V1.0.0.001__", "same number"]),
        Case(name: "stray file in a version folder", files: shop([schema + "V1.0.0.001__A.sql": table, "projects/shop/versions/v1.0.0/schema.sql": table]), expect: ["versions/v1.0.0/schema.sql", "unexpected file"]),
        Case(name: "script linked to a file outside the repository", files: shop([:]), outsideLinks: [schema + "V1.0.0.001__A.sql": "SECRET-VALUE ("], expect: ["schema/V1.0.0.001__A.sql", "outside the repository"]),

        // flat layouts
        Case(name: "Flyway file whose name does not parse", files: ["V1__a.sql": table, "V1_x.sql": table], expect: ["V1_x.sql", "two underscores"]),
        Case(name: "Flyway script linked outside the repository", files: ["V1__a.sql": table], outsideLinks: ["V2__b.sql": "SECRET-FLYWAY ("], expect: ["V2__b.sql", "outside the repository"]),
        Case(name: "misspelt rehearse.yaml key", files: ["V1__a.sql": table, "rehearse.yaml": "nmae: x\n"], expect: ["rehearse.yaml:1", "`nmae`", "`name`"]),

        // SQL
        Case(name: "psql meta-command", files: shopSQL(table + "\\set ON_ERROR_STOP on\n"), expect: ["V1.0.0.001__A.sql:2:", "meta-command"]),
        Case(name: "psql \\connect", files: shopSQL("\\connect other\n" + table), expect: ["V1.0.0.001__A.sql:1:", "meta-command"]),
        Case(name: "psql \\i include", files: shopSQL(table + "\n\\i other.sql\n"), expect: ["V1.0.0.001__A.sql:3:", "meta-command"]),
        Case(name: "SQL that is not UTF-8", binaryFiles: ["projects/shop/project-config.yaml": Array(pg.utf8), schema + "V1.0.0.001__A.sql": [0x73, 0x65, 0x6c, 0xff, 0xfe, 0x3b]], expect: ["V1.0.0.001__A.sql", "UTF-8"]),

        // Extended JSON
        Case(name: "Extended JSON with a trailing comma", files: docs("[\n  {\"create\": \"orders\",}\n]\n"), expect: ["001-create.json:2:"]),
        Case(name: "Extended JSON that is not an array", files: docs("{\"create\": \"orders\"}\n"), expect: ["001-create.json:1:", "array"]),
        Case(name: "Extended JSON with an unterminated string", files: docs("[{\"create\": \"orders}]\n"), expect: ["001-create.json:1:"]),
        Case(name: "Extended JSON with a bad $oid", files: docs("[{\"insert\": \"o\", \"documents\": [{\"_id\": {\"$oid\": \"xyz\"}}]}]\n"), expect: ["001-create.json"]),
        Case(name: "Extended JSON with a bad $numberLong", files: docs("[{\"insert\": \"o\", \"documents\": [{\"n\": {\"$numberLong\": \"twelve\"}}]}]\n"), expect: ["001-create.json"]),
        Case(name: "MongoDB file name that does not parse", files: docs("[]\n", file: "create.json"), expect: ["migrations/create.json", "file name does not parse"]),
        Case(name: "Extended JSON nested too deep", files: docs(String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)), expect: ["001-create.json"]),

        // paths
        Case(name: "path that does not exist", arguments: ["verify", "$TMP/no/such/migrations"], expect: ["no/such/migrations", "no such file or directory"]),
        Case(name: "path that is a file", files: ["file.sql": table], arguments: ["verify", "$REPO/file.sql"], expect: ["file.sql", "is a file"]),
        Case(name: "--project that does not exist", arguments: ["verify", "sample-migrations", "--project", "nope"], expect: ["sample-migrations", "`nope`"]),

        // URLs
        Case(name: "--postgres-url with a bad port", arguments: sample + ["--postgres-url", "postgresql://u:pw@host:notaport/db"], expect: ["--postgres-url", "invalid PostgreSQL URL"]),
        Case(name: "--postgres-url with a bad escape", arguments: sample + ["--postgres-url", "postgresql://app:Pa%zzw0rd@db/shop"], expect: ["--postgres-url", "invalid PostgreSQL URL"]),
        Case(name: "--postgres-url nobody listens on", arguments: sample + ["--postgres-url", "postgresql://u:pw@127.0.0.1:1/db?connect_timeout=2"], expect: ["127.0.0.1:1"]),
        Case(name: "--mongodb-url that is not a MongoDB URL", arguments: ["verify", "sample-migrations", "--project", "e-commerce", "--database", "mongodb", "--mongodb-url", "notmongo://x"], expect: ["MongoDB URL"]),

        // flags
        Case(name: "--jobs 0", arguments: sample + ["--jobs", "0"], expect: ["--jobs"]),
        Case(name: "--database oracle", arguments: ["verify", "sample-migrations", "--database", "oracle"], expect: ["--database", "oracle"]),
        Case(name: "--statement-timeout that is not a duration", arguments: sample + ["--statement-timeout", "5x"], expect: ["--statement-timeout", "5x"]),
        Case(name: "--lock-timeout that is negative", arguments: sample + ["--lock-timeout", "-1s"], expect: ["--lock-timeout"]),
        Case(name: "--junit and --json naming one file", arguments: sample + ["--junit", "$TMP/r", "--json", "$TMP/./r"], expect: ["--junit and --json"]),
        Case(name: "an unknown flag", arguments: sample + ["--frobnicate"], expect: ["--frobnicate"]),
        Case(name: "--jobs that is not a number", arguments: sample + ["--jobs", "many"], expect: ["--jobs", "many"]),
    ]

    @Test func theCatalogueIsLargeEnough() {
        #expect(Self.catalogue.count >= 40)
        #expect(Set(Self.catalogue.map(\.name)).count == Self.catalogue.count)
    }

    @Test(arguments: catalogue)
    func badInputExits2NamingTheCulpritAndLeavesNothing(_ entry: Case) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-catalogue-\(UUID().uuidString.prefix(8))")
        let repo = scratch.appendingPathComponent("repo")
        let tmp = scratch.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: tmp.path)
        defer { try? FileManager.default.removeItem(at: scratch) }
        for (path, text) in entry.files { try Self.write(Data(text.utf8), to: repo.appendingPathComponent(path)) }
        for (path, bytes) in entry.binaryFiles { try Self.write(Data(bytes), to: repo.appendingPathComponent(path)) }
        for (path, text) in entry.outsideLinks {
            let outside = scratch.appendingPathComponent("outside-\(UUID().uuidString.prefix(6))")
            try Data(text.utf8).write(to: outside)
            let link = repo.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: outside.path)
        }
        let arguments = entry.arguments.map { $0.replacingOccurrences(of: "$REPO", with: repo.path).replacingOccurrences(of: "$TMP", with: tmp.path) }
        let outcome = try Self.run(arguments, environment: ["TMPDIR": tmp.path, "REHEARSE_SERVER_DIR": tmp.path], timeout: 60)
        #expect(!outcome.timedOut, "hung: \(outcome.output)")
        #expect(outcome.status == 2, "exit \(outcome.status): \(outcome.output)")
        #expect(!outcome.output.contains("Fatal error"), "\(outcome.output)")
        for expected in entry.expect {
            let text = expected.replacingOccurrences(of: "$REPO", with: repo.path)
            #expect(outcome.stderr.contains(text), "missing \(text) in: \(outcome.stderr)")
        }
        for (_, secret) in entry.outsideLinks { #expect(!outcome.output.contains(secret)) }
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []).isEmpty, "left in TMPDIR")
        #expect(RunTests.processes(mentioning: tmp.path).isEmpty)
    }

    static func write(_ data: Data, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
        let timedOut: Bool
        var output: String { stdout + stderr }
    }

    /// Runs the binary with its output in files (no pipe to fill), killed after `timeout` seconds.
    static func run(_ arguments: [String], environment: [String: String], timeout: TimeInterval) throws -> Outcome {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-catalogue-out-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out"), err = folder.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = RehearseProcess.binary
        process.arguments = arguments
        process.currentDirectoryURL = RehearseProcess.packageRoot
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        let timedOut = process.isRunning
        if timedOut {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        return Outcome(
            status: process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "", stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "",
            timedOut: timedOut
        )
    }
}
