import Dispatch
import Foundation
import RehearseCore

/// Prints one line per check, then the failures with their details, the notes, the servers and a summary line.
///
/// ```
/// [  2/219] PASS  e-commerce/postgresql  install v1.0.0: forward (0.31s)
/// [  3/219] SKIP  e-commerce/postgresql  upgrade v1.0.0 -> v1.1.0: reversibility (rollback failed)
/// ```
/// Once ``start(_:heartbeat:)`` has given it the plan, lines come in plan order whatever order checks finish in
/// (a result is held until those before it are printed), with a counter; and while nothing can be printed for
/// `heartbeat` seconds, a line says which check the run is waiting for. Without a plan, lines come as results
/// arrive, without a counter.
///
/// Thread-safe: results may arrive from several threads; each line is written whole, under a lock.
/// Colours (ANSI) only when ``useColor`` is set; ``wantsColor(isTerminal:environment:)`` is the rule
/// the CLI uses (a terminal, and `NO_COLOR` unset or empty).
public final class ConsoleReporter: Reporter, @unchecked Sendable {
    /// How much the console says.
    public enum Verbosity: Sendable {
        /// Only the failures and the summary line (`--quiet`).
        case quiet
        /// A line per check, then failures, notes, servers and the summary.
        case normal
        /// Also each failure's message and file, and each check's notes, under its line (`--verbose`).
        case verbose
    }

    public let output: any ConsoleOutput
    public let useColor: Bool
    public let verbosity: Verbosity
    private let lock = NSLock()
    // Guarded by `lock`.
    private var ordered: OrderedProgress?
    /// When the last line of any kind, and the last result line, were printed.
    private var lastLine = Date()
    private var lastResult = Date()
    private var timer: (any DispatchSourceTimer)?

    public init(output: any ConsoleOutput, useColor: Bool, verbosity: Verbosity = .normal) {
        self.output = output
        self.useColor = useColor
        self.verbosity = verbosity
    }

    deinit {
        timer?.cancel()
    }

    /// A reporter on standard output that colours only a terminal, and never with `NO_COLOR` set.
    public static func standard(
        environment: [String: String] = ProcessInfo.processInfo.environment, verbosity: Verbosity = .normal
    ) -> ConsoleReporter {
        ConsoleReporter(
            output: StandardOutput(), useColor: wantsColor(isTerminal: StandardOutput.isTerminal, environment: environment),
            verbosity: verbosity
        )
    }

    /// The colour rule of DESIGN.md and no-color.org: only on a terminal, and not when `NO_COLOR` is set to anything non-empty.
    public static func wantsColor(isTerminal: Bool, environment: [String: String]) -> Bool {
        guard isTerminal else { return false }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        return true
    }

    /// Announces the run: from now on lines come in `order`, numbered, and a line every `heartbeat` seconds says
    /// what the run waits for while nothing else is printed (nil: no such line).
    public func start(_ order: PlanOrder, heartbeat: Double? = 10) {
        lock.withLock {
            ordered = OrderedProgress(order)
            lastLine = Date()
            lastResult = lastLine
        }
        if verbosity == .verbose {
            let suites = Set(order.entries.map(\.suite)).count
            emit("Rehearsing \(order.total) check\(order.total == 1 ? "" : "s") in \(suites) suite\(suites == 1 ? "" : "s")\n")
        }
        guard let heartbeat, heartbeat > 0, verbosity != .quiet else { return }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "rehearse.console.heartbeat"))
        let tick = min(1, heartbeat / 4)
        timer.schedule(deadline: .now() + tick, repeating: tick)
        timer.setEventHandler { [weak self] in self?.beat(every: heartbeat, now: Date()) }
        lock.withLock { self.timer = timer }
        timer.resume()
    }

    /// Stops the heartbeat without a summary: the run ended by an error.
    public func stop() {
        lock.withLock {
            timer?.cancel()
            timer = nil
        }
    }

    public func checkFinished(_ result: CheckResult, suite: String) {
        lock.withLock {
            guard ordered != nil else {
                write([OrderedProgress.Released(position: nil, result: result, suite: suite)])
                return
            }
            write(ordered?.accept(result, suite: suite) ?? [])
        }
    }

    public func runFinished(_ report: RunReport) throws {
        lock.withLock {
            timer?.cancel()
            timer = nil
            write(ordered?.drain() ?? [])
            if verbosity == .verbose {
                for suite in report.suites where !suite.paths.isEmpty {
                    output.write("\(suite.project)/\(suite.database.rawValue) subjects: \(suite.paths.summary)\n")
                }
            }
            output.write(summary(report))
        }
    }

    /// Writes the heartbeat line when nothing was printed for `interval` seconds; called by the timer.
    func beat(every interval: Double, now: Date) {
        lock.withLock {
            guard let line = heartbeatLine(after: interval, now: now) else { return }
            output.write(line + "\n")
            lastLine = now
        }
    }

    /// `[ 13/219] ...   e-commerce/postgresql  upgrade v1.0.0 -> v1.1.0: forward still running (20s)`, when
    /// nothing was printed for `interval` seconds and a check is awaited (`… starting its server (12s)` before a
    /// suite's first result). Call under the lock.
    private func heartbeatLine(after interval: Double, now: Date) -> String? {
        guard let ordered, let head = ordered.head, now.timeIntervalSince(lastLine) >= interval else { return nil }
        let waited = now.timeIntervalSince(lastResult)
        let counter = Self.counter(ordered.next + 1, total: ordered.order.total)
        let seconds = ReportFormatting.humanSeconds(waited)
        // A suite reports its policy check first and at once: waiting for it is waiting for its server to start.
        let what = head.check == .policy ? "starting its server (\(seconds))" : "\(head.name) still running (\(seconds))"
        return counter + paint("...", .dim) + "   \(head.suite)  " + what
    }

    /// Writes released results. Call under the lock.
    private func write(_ released: [OrderedProgress.Released]) {
        guard verbosity != .quiet, !released.isEmpty else { return }
        var text = ""
        for item in released {
            let counter = item.position.map { Self.counter($0 + 1, total: ordered?.order.total ?? 0) }
                ?? String(repeating: " ", count: ordered.map { Self.counter($0.order.total, total: $0.order.total).count } ?? 0)
            text += counter + progressLine(item.result, suite: item.suite) + "\n"
            if verbosity == .verbose {
                for line in verboseLines(item.result) { text += line + "\n" }
            }
        }
        output.write(text)
        lastLine = Date()
        lastResult = lastLine
    }

    /// `[ 12/219] `, the counter padded to the width of the total.
    static func counter(_ position: Int, total: Int) -> String {
        let width = String(total).count
        let number = String(position)
        return "[" + String(repeating: " ", count: max(0, width - number.count)) + number + "/\(total)] "
    }

    /// `PASS  e-commerce/postgresql  install v1.0.0: forward (0.31s)`.
    public func progressLine(_ result: CheckResult, suite: String) -> String {
        let duration = ReportFormatting.humanSeconds(result.duration)
        switch result.outcome {
        case .passed:
            return paint("PASS", .green) + "  \(suite)  \(result.name) (\(duration))"
        case .failed:
            return paint("FAIL", .red) + "  \(suite)  \(result.name) (\(duration))"
        case let .skipped(reason):
            return paint("SKIP", .yellow) + "  \(suite)  \(result.name) " + paint("(\(JUnitReporter.oneLine(reason)))", .dim)
        }
    }

    /// Under a line in verbose mode: a failure's message and file, and the notes.
    private func verboseLines(_ result: CheckResult) -> [String] {
        var lines: [String] = []
        if let failure = result.failure {
            lines += Self.indent(failure.message, by: "      ")
            if let location = failure.location, !failure.message.contains(location) { lines.append("      at \(location)") }
        }
        for note in result.notes { lines += Self.indent(note, by: "      note: ") }
        return lines
    }

    /// Everything printed after the run: failures, notes, servers, summary. Ends with a newline.
    public func summary(_ report: RunReport) -> String {
        var lines: [String] = []
        let failed = report.suites.flatMap { suite in suite.results.filter(\.isFailure).map { (suite, $0) } }
        if !failed.isEmpty {
            lines += ["", paint("Failures", .bold)]
            for (suite, result) in failed {
                guard let failure = result.failure else { continue }
                lines.append("")
                lines.append(paint("FAIL", .red) + "  \(suite.name)  \(result.name)")
                lines += Self.indent(failure.message, by: "    ")
                if let location = failure.location, !failure.message.contains(location) {
                    lines.append("    at \(location)")
                }
                let details = failure.additionalDetails
                if !details.isEmpty {
                    lines.append("")
                    lines += Self.indent(details, by: "      ")
                }
            }
        }
        if !report.errors.isEmpty {
            lines += ["", paint("Errors", .bold)]
            for error in report.errors {
                lines.append(paint("ERROR", .red) + " \(error.kind.rawValue): \(error)")
            }
        }
        let noted = report.suites.flatMap { suite in suite.results.filter { !$0.notes.isEmpty }.map { (suite, $0) } }
        if !noted.isEmpty, verbosity != .quiet {
            lines += ["", paint("Notes", .bold)]
            for (suite, result) in noted {
                lines.append("  \(suite.name)  \(result.name)")
                for note in result.notes { lines += Self.indent(note, by: "    ") }
            }
        }
        let servers = Self.servers(of: report)
        if !servers.isEmpty, verbosity != .quiet {
            lines += ["", paint("Servers", .bold)]
            for (database, server) in servers {
                lines.append("  \(database.rawValue): \(server.summary)")
                for limitation in server.limitations { lines.append("    weaker here: \(limitation)") }
            }
        }
        lines.append("")
        var counts = "\(report.total) check\(report.total == 1 ? "" : "s"): \(report.passed) passed, \(report.failures) failed, \(report.skipped) skipped"
        if !report.errors.isEmpty {
            counts += ", \(report.errors.count) error\(report.errors.count == 1 ? "" : "s")"
        }
        counts += " in \(ReportFormatting.humanSeconds(report.duration))"
        lines.append(report.succeeded ? paint(counts, .green) : paint(counts, .red))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Each server once, in the order the suites used them: one engine serves every suite of its database.
    static func servers(of report: RunReport) -> [(DatabaseKind, ServerInfo)] {
        var seen: [(DatabaseKind, ServerInfo)] = []
        for suite in report.suites {
            guard let server = suite.server else { continue }
            if !seen.contains(where: { $0.0 == suite.database && $0.1 == server }) {
                seen.append((suite.database, server))
            }
        }
        return seen
    }

    private func emit(_ text: String) {
        lock.withLock { output.write(text) }
    }

    private static func indent(_ text: String, by prefix: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : prefix + $0 }
    }

    // MARK: - Colour

    private enum Style: String {
        case red = "31", green = "32", yellow = "33", bold = "1", dim = "2"
    }

    private func paint(_ text: String, _ style: Style) -> String {
        useColor ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}
