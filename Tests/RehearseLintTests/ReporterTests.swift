import Foundation
import Testing
@testable import RehearseLint

/// The four output formats of `rehearse lint`.
@Suite struct ReporterTests {
    static let report = LintReport(
        repository: "migrations", layout: "flyway",
        findings: [
            LintFinding(
                rule: "set-not-null", severity: .error, message: "SET NOT NULL on t.a scans every row, 100% of them",
                file: "db/migrations/V2__a b.sql", line: 4, column: 7, suite: "db/postgresql", subject: "migration V2__a b"
            ),
            LintFinding(
                rule: "char-column", severity: .advisory, message: "t.code is char(2): pads, with spaces",
                file: "db/migrations/V1__init.sql", line: 1, column: 17, suite: "db/postgresql", subject: "migration V1__init"
            ),
        ],
        fileCount: 2
    )

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func humanListsFileLineColumnRuleMessage() {
        let text = HumanLintReporter().render(Self.report)
        #expect(text == """
        db/migrations/V2__a b.sql:4:7: set-not-null: SET NOT NULL on t.a scans every row, 100% of them
        db/migrations/V1__init.sql:1:17: char-column: (advisory) t.code is char(2): pads, with spaces
        rehearse lint: 1 error, 0 warnings, 1 advisory in 2 files

        """)
        let empty = LintReport(repository: "m", layout: "flyway", findings: [], fileCount: 1)
        #expect(HumanLintReporter().render(empty) == "rehearse lint: no findings in 1 file\n")
    }

    @Test func jsonHasItsFormatVersionAndEveryField() throws {
        let document = try Self.object(JSONLintReporter(toolVersion: "0.1.0").render(Self.report))
        #expect(document["formatVersion"] as? Int == 1)
        #expect((document["tool"] as? [String: Any])?["version"] as? String == "0.1.0")
        #expect(document["layout"] as? String == "flyway")
        let summary = try #require(document["summary"] as? [String: Int])
        #expect(summary == ["errors": 1, "warnings": 0, "advisories": 1, "files": 2])
        let findings = try #require(document["findings"] as? [[String: Any]])
        #expect(findings.count == 2)
        #expect(Set(findings[0].keys) == ["rule", "severity", "message", "file", "line", "column", "suite", "subject"])
        #expect(findings[0]["severity"] as? String == "error")
        #expect((document["rules"] as? [[String: Any]])?.count == Linter.rules.count)
    }

    /// The properties SARIF 2.1.0 requires (sarif-schema-2.1.0.json, `required` lists), and those GitHub code
    /// scanning reads to place a result.
    @Test func sarifHasTheRequiredStructure() throws {
        let log = try Self.object(SARIFLintReporter(toolVersion: "0.1.0").render(Self.report))
        #expect(log["version"] as? String == "2.1.0")
        #expect(log["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
        let runs = try #require(log["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let driver = try #require((runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "rehearse")
        #expect(driver["version"] as? String == "0.1.0")
        #expect(driver["informationUri"] == nil, "optional, and Rehearse has no published home to name")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        let ids = rules.compactMap { $0["id"] as? String }
        #expect(ids.count == rules.count && Set(ids).count == ids.count)
        for rule in rules {
            #expect(((rule["shortDescription"] as? [String: Any])?["text"] as? String)?.isEmpty == false)
            let level = (rule["defaultConfiguration"] as? [String: Any])?["level"] as? String
            #expect(["error", "warning", "note"].contains(level ?? ""))
        }
        let results = try #require(runs[0]["results"] as? [[String: Any]])
        #expect(results.count == 2)
        for result in results {
            let ruleId = try #require(result["ruleId"] as? String)
            let ruleIndex = try #require(result["ruleIndex"] as? Int)
            #expect(ids[ruleIndex] == ruleId)
            #expect(["error", "warning", "note", "none"].contains(result["level"] as? String ?? ""))
            #expect(((result["message"] as? [String: Any])?["text"] as? String)?.isEmpty == false)
            let locations = try #require(result["locations"] as? [[String: Any]])
            let physical = try #require(locations.first?["physicalLocation"] as? [String: Any])
            let artifact = try #require(physical["artifactLocation"] as? [String: Any])
            #expect(URL(string: try #require(artifact["uri"] as? String)) != nil)
            let region = try #require(physical["region"] as? [String: Int])
            #expect((region["startLine"] ?? 0) >= 1 && (region["startColumn"] ?? 0) >= 1)
        }
        let first = try #require(results.first)
        let location = try #require((first["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((location["artifactLocation"] as? [String: String]) == ["uri": "db/migrations/V2__a%20b.sql", "uriBaseId": "%SRCROOT%"])
        #expect((location["region"] as? [String: Int]) == ["startLine": 4, "startColumn": 7])
        #expect(first["level"] as? String == "error")
        #expect(results.last?["level"] as? String == "note")
    }

    @Test func sarifNamesAnAbsolutePathAsAFileURI() {
        #expect(SARIFLintReporter.artifact("/tmp/repo/V1__a.sql").uri == "file:///tmp/repo/V1__a.sql")
        #expect(SARIFLintReporter.artifact("/tmp/repo/V1__a.sql").uriBaseId == nil)
        #expect(SARIFLintReporter.artifact("./db/V1__a.sql").uri == "db/V1__a.sql")
    }

    @Test func githubAnnotationsEscapeTheirProperties() {
        let text = GitHubLintReporter().render(Self.report)
        #expect(text == """
        ::error file=db/migrations/V2__a b.sql,line=4,col=7,title=set-not-null::SET NOT NULL on t.a scans every row, 100%25 of them
        ::notice file=db/migrations/V1__init.sql,line=1,col=17,title=char-column::t.code is char(2): pads, with spaces

        """)
        #expect(GitHubLintReporter.property("a:b,c\nd") == "a%3Ab%2Cc%0Ad")
    }
}
