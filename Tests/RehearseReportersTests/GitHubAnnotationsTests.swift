import Foundation
import RehearseCore
import Testing
@testable import RehearseReporters

@Suite struct GitHubAnnotationsTests {
    let annotations = GitHubAnnotations(output: BufferedOutput(), workspace: nil, currentDirectory: "/work/repo")

    @Test func aFailureIsAnErrorOnItsFileAndLine() {
        let failure = CheckFailure(
            message: "db/V1.sql:3:5: SQLSTATE 42P01: relation \"t\" does not exist", file: "db/V1.sql", line: 3, column: 5,
            details: "db/V1.sql:3:5: SQLSTATE 42P01: relation \"t\" does not exist\nHINT: 100% sure"
        )
        let run = RunReport(suites: [SuiteReport(
            project: "shop", database: .postgresql, server: nil,
            results: [
                CheckResult(subject: .project, check: .policy, outcome: .passed),
                CheckResult(subject: .install(SampleReports.v100), check: .forward, outcome: .failed(failure)),
            ], duration: 0
        )], startedAt: SampleReports.startedAt, duration: 0)
        #expect(annotations.commands(for: run) == [
            "::error file=db/V1.sql,line=3,col=5,title=shop/postgresql install v1.0.0%3A forward::db/V1.sql:3:5: SQLSTATE 42P01: relation \"t\" does not exist%0A%0AHINT: 100%25 sure",
        ])
    }

    @Test func errorsAreAnnotatedTooAndOptionsAreNoFiles() {
        let lines = annotations.commands(for: SampleReports.inputErrors)
        #expect(lines.count == 3)
        #expect(lines[1] == "::error file=migrations/projects/shop/project-config.yaml,line=12,title=Rehearse input error::unknown key `polices`; did you mean `policies`?")
        #expect(lines[2] == "::error title=Rehearse input error::`V9` is not a migration of shop/postgresql")
        #expect(annotations.commands(for: SampleReports.environmentError)[0].hasPrefix("::error title=Rehearse environment error::PostgreSQL server programs"))
    }

    @Test func pathsBecomeRelativeToTheWorkspace() {
        let inside = GitHubAnnotations(output: BufferedOutput(), workspace: "/work/repo", currentDirectory: "/work/repo/service")
        #expect(inside.relativeToWorkspace("db/V1.sql") == "service/db/V1.sql")
        #expect(inside.relativeToWorkspace("/work/repo/db/V1.sql") == "db/V1.sql")
        #expect(inside.relativeToWorkspace("/elsewhere/V1.sql") == "/elsewhere/V1.sql")
    }

    @Test func propertiesEscapeCommasAndColons() {
        #expect(GitHubAnnotations.escapeProperty("a,b:c%\n") == "a%2Cb%3Ac%25%0A")
        #expect(GitHubAnnotations.escapeData("a,b:c%\r\n") == "a,b:c%25%0D%0A")
        #expect(GitHubAnnotations.isActive(["GITHUB_ACTIONS": "true"]))
        #expect(!GitHubAnnotations.isActive(["GITHUB_ACTIONS": "1"]))
    }

    @Test func writesNothingWhenAllPassed() throws {
        let output = BufferedOutput()
        try GitHubAnnotations(output: output, workspace: nil).runFinished(RunReport(suites: [SampleReports.mongo], startedAt: SampleReports.startedAt, duration: 0))
        #expect(output.text.isEmpty)
    }
}
