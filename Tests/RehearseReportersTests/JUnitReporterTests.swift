import Foundation
import RehearseCore
import Testing
@testable import RehearseReporters

@Suite struct JUnitReporterTests {
    let reporter = JUnitReporter(url: URL(fileURLWithPath: "/dev/null"), rehearseVersion: "0.2.0", hostname: "ci-runner-1")

    @Test func matchesTheGoldenFile() throws {
        try Golden.expectMatches(reporter.render(SampleReports.run), "junit.xml")
    }

    @Test func countsAndNamesFollowDesign() {
        let xml = reporter.render(SampleReports.run)
        #expect(xml.contains("\n<testsuites>\n"))
        #expect(xml.contains(#"<testsuite name="e-commerce/postgresql" tests="6" failures="1" errors="0" skipped="2" time="2.500" timestamp="2025-01-01T10:00:00" hostname="ci-runner-1" id="0" package="e-commerce">"#))
        #expect(xml.contains(#"<testcase classname="e-commerce.postgresql" name="upgrade v1.0.0 -&gt; v1.1.0: idempotence" time="1.500">"#))
        #expect(xml.contains(#"<skipped message="rollback failed"/>"#))
        #expect(xml.contains(#"<property name="server.limitation" value="$jsonSchema validators are not enforced"/>"#))
    }

    @Test func notesGoToTheSuiteOutputNotTheTestCase() {
        let xml = reporter.render(SampleReports.run)
        #expect(xml.contains(#"<testcase classname="e-commerce.postgresql" name="upgrade v1.0.0 -&gt; v1.1.0: reversibility" time="0.013"/>"#))
        #expect(xml.contains("<system-out>upgrade v1.0.0 -&gt; v1.1.0: reversibility\n  column order differs"))
        #expect(xml.components(separatedBy: "<system-err/>").count == 4)
    }

    @Test func aFailureEndsWithItsFileAndAFrameThatLocatesIt() {
        let failure = CheckFailure(
            message: "the schema after rollback differs from before forward: 1 difference",
            file: "db/projects/shop/versions/v1.1.0/upgrade/from-v1.0.0/postgresql/rollback/U1.1.0.201__Index.sql",
            details: "+ index public.idx_orders_placed_at"
        )
        let body = JUnitReporter.body(of: failure, check: .reversibility)
        #expect(body == """
        + index public.idx_orders_placed_at

        db/projects/shop/versions/v1.1.0/upgrade/from-v1.0.0/postgresql/rollback/U1.1.0.201__Index.sql
        at postgresql.rollback.Rehearse.reversibility(U1.1.0.201__Index.sql:1)
        """)
        // dorny/test-reporter's java-junit pattern, and the package it derives (names before the first capital).
        let frame = String(body.split(separator: "\n").last ?? "")
        let match = frame.wholeMatch(of: /at (.*)\((.*):(\d+)\)/)
        #expect(match?.output.2 == "U1.1.0.201__Index.sql")
        let package = (match.map { String($0.output.1) } ?? "").split(separator: ".").prefix { ($0.first ?? "A") > "Z" }
        #expect(package == ["postgresql", "rollback"])
    }

    @Test func theFrameNeedsAFolderThatCanNameAPackage() {
        #expect(JUnitReporter.stackFrame(file: "migrations/V2__add.sql", line: 3, check: .dataPreservation) == "at migrations.Rehearse.data_preservation(V2__add.sql:3)")
        #expect(JUnitReporter.stackFrame(file: "V2__add.sql", line: 3, check: .forward) == nil)
        #expect(JUnitReporter.stackFrame(file: "v1.0.0/Migrations/V2__add.sql", line: 3, check: .forward) == nil)
        #expect(JUnitReporter.stackFrame(file: "/abs/db/x.sql", line: nil, check: .forward) == "at abs.db.Rehearse.forward(x.sql:1)")
    }

    @Test func fileAttributesOnlyWhenAskedAndOnlyOnFailures() {
        let run = RunReport(suites: [SuiteReport(
            project: "shop", database: .postgresql, server: nil,
            results: [
                CheckResult(subject: .project, check: .policy, outcome: .passed),
                CheckResult(subject: .install(SampleReports.v100), check: .forward, outcome: .failed(CheckFailure(
                    message: "x.sql:3:1: SQLSTATE 42P01: relation \"t\" does not exist", file: "db/x.sql", line: 3, column: 1
                ))),
            ], duration: 0
        )], startedAt: SampleReports.startedAt, duration: 0)
        let plain = reporter.render(run)
        #expect(!plain.contains(" file=\""))
        let annotated = JUnitReporter(url: reporter.url, rehearseVersion: "0.2.0", hostname: "h", fileAttributes: true).render(run)
        #expect(annotated.contains(#"<testcase classname="shop.postgresql" name="install v1.0.0: forward" time="0.000" file="db/x.sql" line="3">"#))
        #expect(annotated.contains(#"<testcase classname="shop.postgresql" name="project: policy" time="0.000"/>"#))
    }

    @Test func inputErrorsBecomeErrorTestCases() throws {
        try Golden.expectMatches(reporter.render(SampleReports.inputErrors), "junit-input-errors.xml")
        let xml = reporter.render(SampleReports.inputErrors)
        #expect(xml.contains(#"<testsuite name="rehearse" tests="3" failures="0" errors="3" skipped="0""#))
        #expect(xml.contains(#"<testcase classname="rehearse.input" name="migrations/projects/shop/project-config.yaml:12" time="0.000">"#))
        #expect(xml.contains(#"<error message="migrations/projects/shop/project-config.yaml:12: unknown key `polices`; did you mean `policies`?" type="input">"#))
        let environment = reporter.render(SampleReports.environmentError)
        #expect(environment.contains(#"<testcase classname="rehearse.environment" name="environment" time="0.000">"#))
        #expect(environment.contains(#"type="environment""#))
    }

    @Test func writesTheFileAtomicallyAndLeavesNoTemporaryFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-junit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("reports/junit.xml")
        let writer = JUnitReporter(url: url, rehearseVersion: "0.2.0", hostname: "ci-runner-1")
        try writer.runFinished(SampleReports.run)
        try writer.runFinished(SampleReports.run)
        #expect(try String(contentsOf: url, encoding: .utf8) == writer.render(SampleReports.run))
        #expect(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path) == ["junit.xml"])
    }

    @Test func anUnwritableTargetIsAnEnvironmentErrorNamingTheFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-junit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("junit.xml"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = JUnitReporter(url: folder.appendingPathComponent("junit.xml"), rehearseVersion: "0.2.0", hostname: "h")
        let error = try #require(throws: EnvironmentError.self) { try writer.runFinished(SampleReports.run) }
        #expect(error.message.contains("junit.xml"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["junit.xml"])
    }

    /// Both schemas' rules, as `Golden/windyroad-rules.xsd` and `Golden/jenkins-junit-10-rules.xsd` state them:
    /// a passing, a failing, an empty and an error report are valid; file attributes and a bare test case name
    /// are not.
    @Test(arguments: ["windyroad-rules.xsd", "jenkins-junit-10-rules.xsd"])
    func validatesAgainstTheSchema(_ schema: String) throws {
        guard let xmllint = Self.findProgram("xmllint") else {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                Issue.record("xmllint is not installed; CI must validate the JUnit report (apt-get install -y libxml2-utils)")
            }
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-xsd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let schemaPath = Golden.url(schema).path

        let passing = RunReport(suites: [SampleReports.mongo], startedAt: SampleReports.startedAt, duration: 1)
        let reports: [(String, RunReport)] = [
            ("passing", passing), ("failing", SampleReports.run), ("inputErrors", SampleReports.inputErrors),
            ("environmentError", SampleReports.environmentError),
            ("empty", RunReport(suites: [], startedAt: SampleReports.startedAt, duration: 0)),
        ]
        var paths: [String] = []
        for (name, report) in reports {
            let url = folder.appendingPathComponent("\(name).xml")
            try JUnitReporter(url: url, rehearseVersion: "0.2.0", hostname: "ci-runner-1").runFinished(report)
            paths.append(url.path)
        }
        let valid = try Self.run(xmllint, ["--noout", "--schema", schemaPath] + paths)
        #expect(valid.status == 0, "xmllint rejected the report:\n\(valid.output)")

        let annotated = folder.appendingPathComponent("annotated.xml")
        try JUnitReporter(url: annotated, rehearseVersion: "0.2.0", hostname: "h", fileAttributes: true).runFinished(SampleReports.inputErrors)
        #expect(try Self.run(xmllint, ["--noout", "--schema", schemaPath, annotated.path]).status != 0)

        let bad = folder.appendingPathComponent("bad.xml")
        try reporter.render(SampleReports.run).replacingOccurrences(of: #" name="install v1.0.0: forward""#, with: "")
            .write(to: bad, atomically: true, encoding: .utf8)
        #expect(try Self.run(xmllint, ["--noout", "--schema", schemaPath, bad.path]).status != 0)
    }

    /// What the old shape had and each schema rejects.
    @Test func theRulesRejectWhatTheSchemasReject() throws {
        guard let xmllint = Self.findProgram("xmllint") else { return }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-xsd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = reporter.render(SampleReports.run)
        let cases: [(schema: String, name: String, xml: String)] = [
            ("windyroad-rules.xsd", "attributes on testsuites", good.replacingOccurrences(of: "<testsuites>", with: #"<testsuites tests="8">"#)),
            ("windyroad-rules.xsd", "no system-out", good.replacingOccurrences(of: "<system-err/>", with: "").replacingOccurrences(of: "<system-out/>", with: "")),
            ("windyroad-rules.xsd", "output inside a test case", good.replacingOccurrences(of: #"<skipped message="rollback failed"/>"#, with: #"<skipped message="rollback failed"/><system-out>x</system-out>"#)),
            ("jenkins-junit-10-rules.xsd", "skipped on testsuites", good.replacingOccurrences(of: "<testsuites>", with: #"<testsuites skipped="3">"#)),
            ("jenkins-junit-10-rules.xsd", "timestamp on testsuites", good.replacingOccurrences(of: "<testsuites>", with: #"<testsuites timestamp="2025-01-01T10:00:00">"#)),
        ]
        for item in cases {
            let url = folder.appendingPathComponent("case.xml")
            try item.xml.write(to: url, atomically: true, encoding: .utf8)
            let outcome = try Self.run(xmllint, ["--noout", "--schema", Golden.url(item.schema).path, url.path])
            #expect(outcome.status != 0, "\(item.schema) accepted \(item.name)")
        }
    }

    static func findProgram(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
