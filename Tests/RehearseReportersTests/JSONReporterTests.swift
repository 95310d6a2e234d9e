import Foundation
import RehearseCore
import Testing
@testable import RehearseReporters

@Suite struct JSONReporterTests {
    let reporter = JSONReporter(url: URL(fileURLWithPath: "/dev/null"), rehearseVersion: "0.2.0")

    @Test func matchesTheGoldenFile() throws {
        try Golden.expectMatches(reporter.render(SampleReports.run), "report.json")
    }

    @Test func roundTripsThroughTheFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-json-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("report.json")
        try JSONReporter(url: url, rehearseVersion: "0.2.0").runFinished(SampleReports.run)
        let document = try JSONReporter.read(url)
        #expect(document == JSONReport(SampleReports.run, rehearseVersion: "0.2.0"))
        #expect(try document.runReport() == SampleReports.run)
    }

    @Test func everyCheckCarriesEveryKeyAndNullsWhereEmpty() throws {
        let object = try JSONSerialization.jsonObject(with: Data(reporter.render(SampleReports.run).utf8)) as! [String: Any]
        #expect(Set(object.keys) == ["formatVersion", "rehearseVersion", "startedAt", "duration", "succeeded", "totals", "suites", "errors"])
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

    @Test func inputErrorsAreListedAndRoundTrip() throws {
        let text = reporter.render(SampleReports.inputErrors)
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        #expect(object["succeeded"] as? Bool == false)
        let errors = object["errors"] as! [[String: Any]]
        #expect(errors.count == 3)
        #expect(Set(errors[0].keys) == ["type", "message", "file", "line", "column"])
        #expect(errors[0]["type"] as? String == "input")
        #expect(errors[0]["line"] as? Int == 3)
        #expect(errors[2]["line"] is NSNull)
        let document = try JSONDecoder().decode(JSONReport.self, from: Data(text.utf8))
        #expect(try document.runReport() == SampleReports.inputErrors)
    }

    @Test func aDocumentWithoutErrorsReadsAsNone() throws {
        var object = try JSONSerialization.jsonObject(with: Data(reporter.render(SampleReports.run).utf8)) as! [String: Any]
        object.removeValue(forKey: "errors")
        let document = try JSONDecoder().decode(JSONReport.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(document.errors.isEmpty)
    }

    @Test func detailsLeaveOutWhatTheMessageSays() throws {
        let script = ScriptFailure(file: "db/V1.sql", line: 4, code: "SQLSTATE P0001", message: "boom", hint: "try again")
        let run = RunReport(suites: [SuiteReport(
            project: "shop", database: .postgresql, server: nil,
            results: [
                CheckResult(subject: .install(SampleReports.v100), check: .forward, outcome: .failed(CheckFailure(script))),
                CheckResult(subject: .install(SampleReports.v100), check: .validate, outcome: .failed(CheckFailure(
                    ScriptFailure(file: "db/check.sql", line: 1, message: "expected true")
                ))),
            ], duration: 0
        )], startedAt: SampleReports.startedAt, duration: 0)
        let checks = JSONReport(run, rehearseVersion: "0.2.0").suites[0].checks
        #expect(checks[0].message == "db/V1.sql:4: SQLSTATE P0001: boom")
        #expect(checks[0].details == "HINT: try again")
        #expect(checks[1].details == nil)
    }

    @Test func anUnknownFormatVersionIsAnInputError() throws {
        var document = JSONReport(SampleReports.run, rehearseVersion: "0.2.0")
        document.formatVersion = 99
        #expect(throws: InputError.self) { try document.runReport() }
    }

    /// The "observed lock level of each statement": `safety` carries what it measured, structured.
    @Test func safetyCarriesEachStatementsObservedLocks() throws {
        var result = CheckResult(subject: .migration("V2__widen"), check: .safety, outcome: .passed)
        var statement = StatementLocks(
            file: "db/V2__widen.sql", line: 4, excerpt: "ALTER TABLE orders ALTER COLUMN total TYPE bigint",
            locks: ["public.orders": ["AccessExclusiveLock", "ShareLock"]], rewritten: ["public.orders"]
        )
        statement.heldLocks = ["public.customers": ["ShareRowExclusiveLock"]]
        result.locks = LockObservation(rowCounts: ["public.orders": 3], statements: [statement])
        let run = RunReport(suites: [SuiteReport(project: "shop", database: .postgresql, server: nil, results: [result], duration: 0)],
                            startedAt: SampleReports.startedAt, duration: 0)
        let text = reporter.render(run)
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        let check = ((object["suites"] as! [[String: Any]])[0]["checks"] as! [[String: Any]])[0]
        let locks = try #require(check["locks"] as? [String: Any])
        #expect(locks["rowCounts"] as? [String: Int] == ["public.orders": 3])
        let first = try #require((locks["statements"] as? [[String: Any]])?.first)
        #expect(first["line"] as? Int == 4)
        #expect(first["locks"] as? [String: [String]] == ["public.orders": ["AccessExclusiveLock", "ShareLock"]])
        #expect(first["heldLocks"] as? [String: [String]] == ["public.customers": ["ShareRowExclusiveLock"]])
        #expect(first["rewritten"] as? [String] == ["public.orders"])
        let document = try JSONDecoder().decode(JSONReport.self, from: Data(text.utf8))
        #expect(try document.runReport().suites[0].results[0].locks == result.locks)
    }
}

