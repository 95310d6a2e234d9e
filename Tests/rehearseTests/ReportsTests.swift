import Foundation
import Testing

/// The reports CI reads, written by the built binary (DESIGN.md, "Reports" and "Command line").
@Suite(.serialized) struct ReportsTests {
    static let schemas = RehearseProcess.packageRoot.appendingPathComponent("Tests/RehearseReportersTests/Golden")

    /// A fresh folder for report files, removed by the caller.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `xmllint` against both schema renditions; nil when xmllint is missing outside CI.
    static func validate(_ files: [URL]) throws -> String? {
        guard let xmllint = ["/usr/bin/xmllint", "/usr/local/bin/xmllint", "/opt/homebrew/bin/xmllint"]
            .first(where: FileManager.default.isExecutableFile(atPath:)) else {
            if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("xmllint is not installed") }
            return nil
        }
        var output = ""
        for schema in ["windyroad-rules.xsd", "jenkins-junit-10-rules.xsd"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: xmllint)
            process.arguments = ["--noout", "--schema", schemas.appendingPathComponent(schema).path] + files.map(\.path)
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if process.terminationStatus != 0 { output += "\(schema): \(text)" }
        }
        return output
    }

    @Test func anInputErrorStillWritesEveryReportWithAnError() throws {
        let root = try ExitStatusTests.repository([
            "projects/shop/project-config.yaml": ExitStatusTests.config,
            "projects/shop/versions/v1.0.0/new-install/postgresql/schema/V1.0.0.001__A.sql": "create table a (id int);\n\\set ON_ERROR_STOP on\n",
        ])
        let reports = try Self.folder()
        defer {
            try? FileManager.default.removeItem(at: root)
            try? FileManager.default.removeItem(at: reports)
        }
        let junit = reports.appendingPathComponent("junit.xml"), json = reports.appendingPathComponent("report.json")
        let markdown = reports.appendingPathComponent("summary.md"), summary = reports.appendingPathComponent("step-summary.md")
        let outcome = try RehearseProcess.run(
            ["verify", root.path, "--junit", junit.path, "--json", json.path, "--markdown", markdown.path],
            environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path, "GITHUB_WORKSPACE": ""]
        )
        #expect(outcome.status == 2, "\(outcome.output)")
        #expect(outcome.stderr.contains("V1.0.0.001__A.sql:2:"))

        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(xml.contains(#"<testsuite name="rehearse" tests="1" failures="0" errors="1" skipped="0""#))
        #expect(xml.contains(#"<testcase classname="rehearse.input" name=""#))
        #expect(xml.contains(#"V1.0.0.001__A.sql:2:1: "#))
        #expect(xml.contains(#"type="input""#))
        if let problems = try Self.validate([junit]) { #expect(problems.isEmpty, "\(problems)") }

        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any]
        let errors = document?["errors"] as? [[String: Any]] ?? []
        #expect(errors.count == 1)
        #expect(errors.first?["type"] as? String == "input")
        #expect(errors.first?["line"] as? Int == 2)
        #expect(document?["succeeded"] as? Bool == false)

        #expect(try String(contentsOf: markdown, encoding: .utf8).hasPrefix("### ❌ Rehearse could not rehearse: 1 error"))
        #expect(try String(contentsOf: summary, encoding: .utf8) == String(contentsOf: markdown, encoding: .utf8))
        #expect(outcome.stdout.contains("::error file=\(root.path)/projects/shop/versions/v1.0.0/new-install/postgresql/schema/V1.0.0.001__A.sql,line=2,"))
    }

    @Test func anEnvironmentErrorWritesAnErrorReport() throws {
        let reports = try Self.folder()
        defer { try? FileManager.default.removeItem(at: reports) }
        let junit = reports.appendingPathComponent("junit.xml")
        let outcome = try RehearseProcess.run(
            ["verify", "sample-migrations", "--project", "broken-impossible-validator", "--junit", junit.path],
            environment: ["REHEARSE_PG_BIN": reports.path]
        )
        #expect(outcome.status == 2, "\(outcome.output)")
        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(xml.contains(#"<testcase classname="rehearse.environment" name="environment" time="0.000">"#))
        #expect(xml.contains("REHEARSE_PG_BIN=\(reports.path)"))
        if let problems = try Self.validate([junit]) { #expect(problems.isEmpty, "\(problems)") }
    }

    /// A failing run under GitHub Actions: JUnit valid against both schemas, the annotation at the validator's
    /// line, the job summary, and `--quiet` printing only the failure and the summary.
    @Test func aFailingRunAnnotatesTheFileAndValidates() throws {
        let reports = try Self.folder()
        defer { try? FileManager.default.removeItem(at: reports) }
        let junit = reports.appendingPathComponent("junit.xml"), summary = reports.appendingPathComponent("step-summary.md")
        let outcome = try RehearseProcess.run(
            ["verify", "sample-migrations", "--project", "broken-impossible-validator", "--junit", junit.path, "--quiet"],
            environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path, "GITHUB_WORKSPACE": RehearseProcess.packageRoot.path]
        )
        #expect(outcome.status == 1, "\(outcome.output)")
        let validator = "sample-migrations/projects/broken-impossible-validator/versions/v1.0.0/new-install/postgresql/validate/01_order_statuses.sql"
        #expect(outcome.stdout.contains("::error file=\(validator),line=5,col=1,title=broken-impossible-validator/postgresql install v1.0.0%3A validate::"))
        #expect(!outcome.stdout.contains("PASS"))
        #expect(outcome.stdout.contains("FAIL  broken-impossible-validator/postgresql  install v1.0.0: validate\n"))
        #expect(try String(contentsOf: summary, encoding: .utf8).contains("**`broken-impossible-validator/postgresql` install v1.0.0: validate**"))
        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(xml.contains("DETAIL: the validator was: SELECT count(*) = 5 FROM order_statuses\n\nat new-install.postgresql.validate.Rehearse.validate(01_order_statuses.sql:5)</failure>"))
        if let problems = try Self.validate([junit]) { #expect(problems.isEmpty, "\(problems)") }

        let annotated = reports.appendingPathComponent("annotated.xml")
        let again = try RehearseProcess.run(["verify", "sample-migrations", "--project", "broken-impossible-validator", "--junit", annotated.path, "--junit-file-attributes", "--quiet"])
        #expect(again.status == 1)
        #expect(try String(contentsOf: annotated, encoding: .utf8).contains(#"name="install v1.0.0: validate" time=""#))
        #expect(try String(contentsOf: annotated, encoding: .utf8).contains(#" file="\#(validator)" line="5">"#))
    }

    /// Two runs with several jobs print the same lines in the same (plan) order, numbered.
    @Test func progressComesInPlanOrderWithACounter() throws {
        let reports = try Self.folder()
        defer { try? FileManager.default.removeItem(at: reports) }
        let junit = reports.appendingPathComponent("junit.xml")
        var transcripts: [[String]] = []
        for _ in 0..<2 {
            let outcome = try RehearseProcess.run(["verify", "sample-migrations", "--project", "e-commerce", "--database", "postgresql", "--jobs", "4", "--junit", junit.path])
            #expect(outcome.status == 0, "\(outcome.output)")
            // Heartbeats come when the machine is slow; the result lines are what must not change.
            let lines = outcome.stdout.split(separator: "\n").filter { $0.hasPrefix("[") && !$0.contains("] ...   ") }
                .map { $0.replacingOccurrences(of: #" \([0-9.ms]+\)$"#, with: "", options: .regularExpression) }
            transcripts.append(lines)
        }
        #expect(transcripts[0] == transcripts[1])
        let total = transcripts[0].count
        #expect(total > 20)
        #expect(transcripts[0].first == "[ 1/\(total)] PASS  e-commerce/postgresql  project: policy")
        #expect(transcripts[0].last?.hasPrefix("[\(total)/\(total)] ") == true)
        if let problems = try Self.validate([junit]) { #expect(problems.isEmpty, "\(problems)") }
    }

    @Test func helpNamesTheEnvironmentVariablesAndVersionIsTheRelease() throws {
        let help = try RehearseProcess.run(["verify", "--help"])
        #expect(help.status == 0)
        for variable in ["REHEARSE_PG_BIN", "REHEARSE_MONGOD", "REHEARSE_NX27017", "REHEARSE_SHARD", "NO_COLOR", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"] {
            #expect(help.stdout.contains(variable), "--help does not name \(variable)")
        }
        for option in ["--markdown", "--junit-file-attributes", "--quiet", "--verbose"] {
            #expect(help.stdout.contains(option))
        }
        let version = try RehearseProcess.run(["--version"])
        #expect(version.stdout == "0.2.0\n")
        #expect(try RehearseProcess.run(["verify", "--quiet", "--verbose", "sample-migrations"]).status == 2)
    }
}
