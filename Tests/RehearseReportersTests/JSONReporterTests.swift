import Foundation
import RehearseCore
import Testing
@testable import RehearseReporters

@Suite struct JSONReporterTests {
    let reporter = JSONReporter(url: URL(fileURLWithPath: "/dev/null"), rehearseVersion: "0.1.0")

    @Test func matchesTheGoldenFile() throws {
        try Golden.expectMatches(reporter.render(SampleReports.run), "report.json")
    }

    @Test func roundTripsThroughTheFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-json-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("report.json")
        try JSONReporter(url: url, rehearseVersion: "0.1.0").runFinished(SampleReports.run)
        let document = try JSONReporter.read(url)
        #expect(document == JSONReport(SampleReports.run, rehearseVersion: "0.1.0"))
        #expect(try document.runReport() == SampleReports.run)
    }

    @Test func everyCheckCarriesEveryKeyAndNullsWhereEmpty() throws {
        let object = try JSONSerialization.jsonObject(with: Data(reporter.render(SampleReports.run).utf8)) as! [String: Any]
        #expect(Set(object.keys) == ["formatVersion", "rehearseVersion", "startedAt", "duration", "succeeded", "totals", "suites"])
        let suites = object["suites"] as! [[String: Any]]
        let first = (suites[0]["checks"] as! [[String: Any]])[0]
        #expect(Set(first.keys) == ["name", "subject", "check", "status", "message", "details", "file", "line", "column", "code", "duration", "notes"])
        #expect(first["message"] is NSNull)
        #expect(suites[2]["server"] is NSNull)
        #expect(object["startedAt"] as? String == "2025-01-01T10:00:00.000Z")
    }

    @Test func subjectsParseBack() {
        #expect(JSONReport.subject("project") == .project)
        #expect(JSONReport.subject("install v1.0.0") == .install(SampleReports.v100))
        #expect(JSONReport.subject("upgrade v1.0.0 -> v1.1.0") == .upgrade(from: SampleReports.v100, to: SampleReports.v110))
        #expect(JSONReport.subject("upgrade v1.0.0") == nil)
        #expect(JSONReport.subject("migration V2__add_email") == .migration("V2__add_email"))
    }

    @Test func anUnknownFormatVersionIsAnInputError() throws {
        var document = JSONReport(SampleReports.run, rehearseVersion: "0.1.0")
        document.formatVersion = 99
        #expect(throws: InputError.self) { try document.runReport() }
    }
}
