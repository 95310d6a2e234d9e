import Foundation
import RehearseCore
import Testing
@testable import RehearseReporters

@Suite struct MarkdownReporterTests {
    let reporter = MarkdownReporter(destination: .file(URL(fileURLWithPath: "/dev/null")), rehearseVersion: "0.2.0")

    @Test func matchesTheGoldenFile() throws {
        try Golden.expectMatches(reporter.render(SampleReports.run), "summary.md")
    }

    @Test func aFailureNamesItsFileAndShowsItsDiffInAFence() {
        let failure = CheckFailure(
            message: "the schema after rollback differs from before forward: 1 difference", file: "db/U1.1.0.201__x.sql",
            details: "- only before forward\n+ only after rollback\n\n+ index public.idx_orders_placed_at ```"
        )
        let run = RunReport(suites: [SuiteReport(
            project: "shop", database: .postgresql, server: ServerInfo(product: "PostgreSQL", version: "15.20", location: "disposable"),
            results: [CheckResult(subject: .upgrade(from: SampleReports.v100, to: SampleReports.v110), check: .reversibility, outcome: .failed(failure))],
            duration: 1
        )], startedAt: SampleReports.startedAt, duration: 1)
        let text = reporter.render(run)
        #expect(text.hasPrefix("### ❌ Rehearse: 1 of 1 check failed\n"))
        #expect(text.contains("| `shop/postgresql` | PostgreSQL 15.20 (disposable) | 0 | 1 | 0 |"))
        #expect(text.contains("**`shop/postgresql` upgrade v1.0.0 -> v1.1.0: reversibility**\n\n`db/U1.1.0.201__x.sql` — the schema after rollback differs"))
        #expect(text.contains("\n````text\n- only before forward\n"))
        #expect(text.hasSuffix("public.idx_orders_placed_at ```\n````\n"))
    }

    @Test func inputErrorsAreListedWithTheirFiles() {
        let text = reporter.render(SampleReports.inputErrors)
        #expect(text.hasPrefix("### ❌ Rehearse could not rehearse: 3 errors\n"))
        #expect(!text.contains("| Suite |"))
        #expect(text.contains("- input: `migrations/projects/shop/project-config.yaml:12` — unknown key \\`polices\\`; did you mean \\`policies\\`?"))
        #expect(text.contains("- input: `--from` — \\`V9\\` is not a migration of shop/postgresql"))
    }

    @Test func longDetailsAreCut() {
        let lines = MarkdownReporter.fenced((1...100).map { "line \($0)" }.joined(separator: "\n"))
        #expect(lines.count == MarkdownReporter.maximumDetailLines + 3)
        #expect(lines[lines.count - 2] == "… 40 more lines in the JUnit and JSON reports")
    }

    @Test func tableCellsAndTextAreEscaped() {
        #expect(MarkdownReporter.cell("a|b\nc") == "a\\|b; c")
        #expect(MarkdownReporter.escape("*x* <y> _z_ a -> b") == "\\*x\\* \\<y> \\_z\\_ a -> b")
        #expect(MarkdownReporter.code("a`b") == "`` a`b ``")
    }

    @Test func theJobSummaryIsAppendedTo() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-md-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let summary = folder.appendingPathComponent("step-summary.md")
        try "earlier step\n".write(to: summary, atomically: true, encoding: .utf8)
        let appender = MarkdownReporter(destination: .append(summary), rehearseVersion: "0.2.0")
        try appender.runFinished(SampleReports.run)
        #expect(try String(contentsOf: summary, encoding: .utf8) == "earlier step\n" + reporter.render(SampleReports.run))

        let error = try #require(throws: EnvironmentError.self) {
            try MarkdownReporter(destination: .append(folder), rehearseVersion: "0.2.0").runFinished(SampleReports.run)
        }
        #expect(error.message.contains("not a regular file"))
    }
}
