import Dispatch
import Foundation
import RehearseCore
import Testing
@testable import RehearseReporters

@Suite struct ConsoleReporterTests {
    /// Replays the sample run the way the orchestrator would: every result, then the summary.
    private func transcript(useColor: Bool) throws -> String {
        let output = BufferedOutput()
        let reporter = ConsoleReporter(output: output, useColor: useColor)
        for suite in SampleReports.run.suites {
            for result in suite.results { reporter.checkFinished(result, suite: suite.name) }
        }
        try reporter.runFinished(SampleReports.run)
        return output.text
    }

    @Test func matchesTheGoldenFileWithoutColour() throws {
        let text = try transcript(useColor: false)
        #expect(!text.contains("\u{1B}["))
        try Golden.expectMatches(text, "console.txt")
    }

    @Test func colourAddsOnlyEscapeSequences() throws {
        let coloured = try transcript(useColor: true)
        #expect(coloured.contains("\u{1B}[32mPASS\u{1B}[0m  e-commerce/postgresql  install v1.0.0: forward (0.25s)"))
        #expect(coloured.contains("\u{1B}[31mFAIL\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[33mSKIP\u{1B}[0m"))
        let stripped = coloured.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        #expect(stripped == (try transcript(useColor: false)))
    }

    @Test func colourOnlyOnATerminalAndNeverWithNoColor() {
        #expect(ConsoleReporter.wantsColor(isTerminal: true, environment: [:]))
        #expect(!ConsoleReporter.wantsColor(isTerminal: false, environment: [:]))
        #expect(!ConsoleReporter.wantsColor(isTerminal: true, environment: ["NO_COLOR": "1"]))
        #expect(ConsoleReporter.wantsColor(isTerminal: true, environment: ["NO_COLOR": ""]))
        #expect(!ConsoleReporter.wantsColor(isTerminal: false, environment: ["NO_COLOR": "1"]))
    }

    @Test func aSkipShowsItsReasonOnItsLine() {
        let reporter = ConsoleReporter(output: BufferedOutput(), useColor: false)
        let line = reporter.progressLine(SampleReports.postgres.results[5], suite: "e-commerce/postgresql")
        #expect(line == "SKIP  e-commerce/postgresql  upgrade v1.0.0 -> v1.1.0: reapply (rollback failed)")
    }

    @Test func linesFromManyThreadsStayWhole() {
        let output = BufferedOutput()
        let reporter = ConsoleReporter(output: output, useColor: false)
        let results = SampleReports.postgres.results
        let count = 400
        DispatchQueue.concurrentPerform(iterations: count) { index in
            reporter.checkFinished(results[index % results.count], suite: "suite-\(index)")
        }
        let lines = output.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == count)
        let wellFormed = lines.filter { $0.range(of: #"^(PASS|FAIL|SKIP)  suite-[0-9]+  .+: [a-z-]+ \(.+\)$"#, options: .regularExpression) != nil }
        #expect(wellFormed.count == count)
        #expect(Set(lines.compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) }).count == count)
    }

    @Test func humanDurations() {
        #expect(ReportFormatting.humanSeconds(0.256) == "0.26s")
        #expect(ReportFormatting.humanSeconds(12.34) == "12.3s")
        #expect(ReportFormatting.humanSeconds(125) == "2m05s")
        #expect(ReportFormatting.humanSeconds(-1) == "0.00s")
    }
}
