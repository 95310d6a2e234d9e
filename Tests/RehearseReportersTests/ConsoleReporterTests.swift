import Dispatch
import Foundation
import RehearseCore
import Testing
@testable import RehearseReporters

@Suite struct ConsoleReporterTests {
    /// The plan of the sample run: its results in report order.
    static let order = PlanOrder(entries: SampleReports.run.suites.flatMap { suite in
        suite.results.map { PlanOrder.Entry(suite: suite.name, subject: $0.subject, check: $0.check) }
    })

    /// Replays the sample run as concurrent checks would: each suite's results in reverse, then the summary.
    private func transcript(useColor: Bool, verbosity: ConsoleReporter.Verbosity = .normal) throws -> String {
        let output = BufferedOutput()
        let reporter = ConsoleReporter(output: output, useColor: useColor, verbosity: verbosity)
        reporter.start(Self.order, heartbeat: nil)
        for suite in SampleReports.run.suites {
            for result in suite.results.reversed() { reporter.checkFinished(result, suite: suite.name) }
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
        #expect(coloured.contains("[2/8] \u{1B}[32mPASS\u{1B}[0m  e-commerce/postgresql  install v1.0.0: forward (0.25s)"))
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

    @Test func anyFinishingOrderPrintsThePlanOrder() throws {
        var generator = SeededGenerator(seed: 7)
        var transcripts: Set<String> = []
        for _ in 0..<5 {
            let output = BufferedOutput()
            let reporter = ConsoleReporter(output: output, useColor: false)
            reporter.start(Self.order, heartbeat: nil)
            for suite in SampleReports.run.suites {
                for result in suite.results.shuffled(using: &generator) { reporter.checkFinished(result, suite: suite.name) }
            }
            try reporter.runFinished(SampleReports.run)
            transcripts.insert(output.text)
        }
        #expect(transcripts == [try Golden.text("console.txt")])
    }

    @Test func aResultThePlanDoesNotListIsPrintedAtOnceWithoutACounter() {
        let output = BufferedOutput()
        let reporter = ConsoleReporter(output: output, useColor: false)
        reporter.start(Self.order, heartbeat: nil)
        let extra = CheckResult(subject: .migration("V1__base"), check: .forward, outcome: .failed(CheckFailure(message: "x")))
        reporter.checkFinished(extra, suite: "e-commerce/postgresql")
        #expect(output.text == "      FAIL  e-commerce/postgresql  migration V1__base: forward (0.00s)\n")
    }

    @Test func aLaterSuiteReleasesWhatAnEarlierOneNeverSent() {
        let output = BufferedOutput()
        let reporter = ConsoleReporter(output: output, useColor: false)
        reporter.start(Self.order, heartbeat: nil)
        let postgres = SampleReports.postgres.results
        // The policy result never comes: the rest of the suite waits for it until the next suite reports.
        for result in postgres.dropFirst() { reporter.checkFinished(result, suite: "e-commerce/postgresql") }
        #expect(output.text.isEmpty)
        reporter.checkFinished(SampleReports.mongo.results[0], suite: "e-commerce/mongodb")
        let lines = output.text.split(separator: "\n")
        #expect(lines.count == 6)
        #expect(lines.first == "[2/8] PASS  e-commerce/postgresql  install v1.0.0: forward (0.25s)")
        #expect(lines.last == "[7/8] PASS  e-commerce/mongodb  install v1.0.0: forward (0.50s)")
    }

    @Test func theHeartbeatNamesTheAwaitedCheckWhileNothingElseIsPrinted() {
        let output = BufferedOutput()
        let reporter = ConsoleReporter(output: output, useColor: false)
        reporter.start(Self.order, heartbeat: nil)
        reporter.checkFinished(SampleReports.postgres.results[0], suite: "e-commerce/postgresql")
        let start = Date()
        reporter.beat(every: 10, now: start.addingTimeInterval(5))
        #expect(output.text.split(separator: "\n").count == 1)
        reporter.beat(every: 10, now: start.addingTimeInterval(12))
        reporter.beat(every: 10, now: start.addingTimeInterval(18))
        reporter.beat(every: 10, now: start.addingTimeInterval(23))
        let lines = output.text.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("[2/8] ...   e-commerce/postgresql  install v1.0.0: forward still running (12."))
        #expect(lines[2].hasPrefix("[2/8] ...   e-commerce/postgresql  install v1.0.0: forward still running (23."))
    }

    @Test func theHeartbeatTimerWritesWhileACheckRunsLong() async throws {
        let output = BufferedOutput()
        let reporter = ConsoleReporter(output: output, useColor: false)
        reporter.start(Self.order, heartbeat: 0.2)
        try await Task.sleep(for: .milliseconds(900))
        try reporter.runFinished(RunReport(suites: [], startedAt: Date(), duration: 0))
        let beats = output.text.split(separator: "\n").filter { $0.contains("e-commerce/postgresql  starting its server (") }
        #expect(beats.count >= 2)
        let settled = output.text
        try await Task.sleep(for: .milliseconds(500))
        #expect(output.text == settled, "the heartbeat went on after the run finished")
    }

    @Test func quietPrintsOnlyFailuresAndTheSummary() throws {
        let text = try transcript(useColor: false, verbosity: .quiet)
        #expect(!text.contains("PASS"))
        #expect(!text.contains("Servers"))
        #expect(!text.contains("Notes"))
        #expect(text.hasPrefix("\nFailures\n\nFAIL  e-commerce/postgresql  upgrade v1.0.0 -> v1.1.0: idempotence\n"))
        #expect(text.hasSuffix("8 checks: 4 passed, 1 failed, 3 skipped in 3.38s\n"))
    }

    @Test func verboseShowsFailuresAndNotesUnderTheirLines() throws {
        let text = try transcript(useColor: false, verbosity: .verbose)
        #expect(text.hasPrefix("Rehearsing 8 checks in 3 suites\n[1/8] PASS"))
        #expect(text.contains("""
        [4/8] FAIL  e-commerce/postgresql  upgrade v1.0.0 -> v1.1.0: idempotence (1.50s)
              the second run failed: V1.1.0.010__Add_phone.sql:3:1: ERROR 42701 column "phone" of relation "customers" already exists
        [5/8] PASS  e-commerce/postgresql  upgrade v1.0.0 -> v1.1.0: reversibility (0.01s)
              note: column order differs (not a failure without --strict-column-order):
        """))
    }

    @Test func eachServerIsListedOnce() {
        let reporter = ConsoleReporter(output: BufferedOutput(), useColor: false)
        let server = ServerInfo(product: "PostgreSQL", version: "15.20", location: "disposable")
        let suites = ["a", "b", "c"].map { SuiteReport(project: $0, database: .postgresql, server: server, results: [], duration: 0) }
        let summary = reporter.summary(RunReport(suites: suites, startedAt: SampleReports.startedAt, duration: 0))
        #expect(summary.contains("Servers\n  postgresql: PostgreSQL 15.20 (disposable)\n\n"))
    }

    @Test func aFailureIsShownOnceEvenWithServerContext() {
        let script = ScriptFailure(
            file: "db/V1.sql", line: 4, column: 3, code: "SQLSTATE P0001", message: "boom",
            context: "PL/pgSQL function inline_code_block line 3 at RAISE"
        )
        for failure in [CheckFailure(script), CheckFailure(script, context: "the second run failed")] {
            let run = RunReport(suites: [SuiteReport(
                project: "shop", database: .postgresql, server: nil,
                results: [CheckResult(subject: .install(SampleReports.v100), check: .idempotence, outcome: .failed(failure))], duration: 0
            )], startedAt: SampleReports.startedAt, duration: 0)
            let summary = ConsoleReporter(output: BufferedOutput(), useColor: false).summary(run)
            #expect(summary.components(separatedBy: "boom").count == 2, "\(summary)")
            #expect(summary.contains("      CONTEXT: PL/pgSQL function inline_code_block line 3 at RAISE"))
        }
    }

    @Test func aDiffNamesTheFileToOpen() {
        let failure = CheckFailure(message: "the schema after rollback differs", file: "db/U1.sql", details: "+ index i")
        let run = RunReport(suites: [SuiteReport(
            project: "shop", database: .postgresql, server: nil,
            results: [CheckResult(subject: .install(SampleReports.v100), check: .reversibility, outcome: .failed(failure))], duration: 0
        )], startedAt: SampleReports.startedAt, duration: 0)
        let summary = ConsoleReporter(output: BufferedOutput(), useColor: false).summary(run)
        #expect(summary.contains("    the schema after rollback differs\n    at db/U1.sql\n\n      + index i\n"))
    }

    @Test func errorsAreListedAndCounted() {
        let summary = ConsoleReporter(output: BufferedOutput(), useColor: false).summary(SampleReports.environmentError)
        #expect(summary.contains("Errors\nERROR environment: PostgreSQL server programs"))
        #expect(summary.hasSuffix("0 checks: 0 passed, 0 failed, 0 skipped, 1 error in 0.50s\n"))
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

/// A reproducible shuffle (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
