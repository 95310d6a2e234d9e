import Foundation
import RehearseCore
import Testing
@testable import RehearseReporters

@Suite struct JUnitReporterTests {
    let reporter = JUnitReporter(url: URL(fileURLWithPath: "/dev/null"), rehearseVersion: "0.1.0", hostname: "ci-runner-1")

    @Test func matchesTheGoldenFile() throws {
        try Golden.expectMatches(reporter.render(SampleReports.run), "junit.xml")
    }

    @Test func countsAndNamesFollowDesign() {
        let xml = reporter.render(SampleReports.run)
        #expect(xml.contains(#"<testsuites name="rehearse" tests="8" failures="1" errors="0" skipped="3" time="3.375" timestamp="2025-01-01T10:00:00">"#))
        #expect(xml.contains(#"<testsuite name="e-commerce/postgresql" tests="6" failures="1" errors="0" skipped="2" time="2.500" timestamp="2025-01-01T10:00:00" hostname="ci-runner-1" id="0" package="e-commerce">"#))
        #expect(xml.contains(#"<testcase classname="e-commerce.postgresql" name="upgrade v1.0.0 -&gt; v1.1.0: idempotence" time="1.500">"#))
        #expect(xml.contains(#"<skipped message="rollback failed"/>"#))
        #expect(xml.contains(#"<property name="server.limitation" value="$jsonSchema validators are not enforced"/>"#))
    }

    @Test func writesTheFileAtomicallyAndLeavesNoTemporaryFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-junit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("reports/junit.xml")
        let writer = JUnitReporter(url: url, rehearseVersion: "0.1.0", hostname: "ci-runner-1")
        try writer.runFinished(SampleReports.run)
        try writer.runFinished(SampleReports.run)
        #expect(try String(contentsOf: url, encoding: .utf8) == writer.render(SampleReports.run))
        #expect(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path) == ["junit.xml"])
    }

    @Test func anUnwritableTargetIsAnEnvironmentErrorNamingTheFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-junit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("junit.xml"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = JUnitReporter(url: folder.appendingPathComponent("junit.xml"), rehearseVersion: "0.1.0", hostname: "h")
        let error = try #require(throws: EnvironmentError.self) { try writer.runFinished(SampleReports.run) }
        #expect(error.message.contains("junit.xml"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["junit.xml"])
    }

    @Test func validatesAgainstTheJUnitSchema() throws {
        guard let xmllint = Self.findProgram("xmllint") else {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                Issue.record("xmllint is not installed; CI must validate the JUnit report (apt-get install -y libxml2-utils)")
            }
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-xsd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let good = folder.appendingPathComponent("good.xml")
        try JUnitReporter(url: good, rehearseVersion: "0.1.0", hostname: "ci-runner-1").runFinished(SampleReports.run)
        let empty = folder.appendingPathComponent("empty.xml")
        try JUnitReporter(url: empty, rehearseVersion: "0.1.0", hostname: "ci-runner-1")
            .runFinished(RunReport(suites: [], startedAt: SampleReports.startedAt, duration: 0))
        let valid = try Self.run(xmllint, ["--noout", "--schema", Golden.url("junit.xsd").path, good.path, empty.path])
        #expect(valid.status == 0, "xmllint rejected the report:\n\(valid.output)")

        // The schema is strict enough to catch a test case without a name.
        let bad = folder.appendingPathComponent("bad.xml")
        try reporter.render(SampleReports.run).replacingOccurrences(of: #" name="install v1.0.0: forward""#, with: "")
            .write(to: bad, atomically: true, encoding: .utf8)
        let invalid = try Self.run(xmllint, ["--noout", "--schema", Golden.url("junit.xsd").path, bad.path])
        #expect(invalid.status != 0)
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
