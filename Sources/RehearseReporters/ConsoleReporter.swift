import Foundation
import RehearseCore

/// Prints one line per check as it finishes, then the failures with their details, the notes, the
/// servers and a summary line.
///
/// ```
/// PASS  e-commerce/postgresql  install v1.0.0: forward (0.31s)
/// SKIP  e-commerce/postgresql  upgrade v1.0.0 -> v1.1.0: reversibility (rollback failed)
/// ```
/// Thread-safe: results may arrive from several threads; each line is written whole, under a lock.
/// Colours (ANSI) only when ``useColor`` is set; ``wantsColor(isTerminal:environment:)`` is the rule
/// the CLI uses (a terminal, and `NO_COLOR` unset or empty).
public final class ConsoleReporter: Reporter, @unchecked Sendable {
    public let output: any ConsoleOutput
    public let useColor: Bool
    private let lock = NSLock()

    public init(output: any ConsoleOutput, useColor: Bool) {
        self.output = output
        self.useColor = useColor
    }

    /// A reporter on standard output that colours only a terminal, and never with `NO_COLOR` set.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> ConsoleReporter {
        ConsoleReporter(output: StandardOutput(), useColor: wantsColor(isTerminal: StandardOutput.isTerminal, environment: environment))
    }

    /// The colour rule of DESIGN.md and no-color.org: only on a terminal, and not when `NO_COLOR` is set to anything non-empty.
    public static func wantsColor(isTerminal: Bool, environment: [String: String]) -> Bool {
        guard isTerminal else { return false }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        return true
    }

    public func checkFinished(_ result: CheckResult, suite: String) {
        emit(progressLine(result, suite: suite) + "\n")
    }

    public func runFinished(_ report: RunReport) throws {
        emit(summary(report))
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

    /// Everything printed after the run: failures, notes, servers, summary. Ends with a newline.
    public func summary(_ report: RunReport) -> String {
        var lines: [String] = []
        let failed = report.suites.flatMap { suite in suite.results.filter(\.isFailure).map { (suite, $0) } }
        if !failed.isEmpty {
            lines += ["", paint("Failures", .bold)]
            for (suite, result) in failed {
                guard let failure = result.failure else { continue }
                let message = failure.message
                let details = failure.details
                lines.append("")
                lines.append(paint("FAIL", .red) + "  \(suite.name)  \(result.name)")
                lines += Self.indent(message, by: "    ")
                if !details.isEmpty, details != message {
                    lines.append("")
                    lines += Self.indent(details, by: "      ")
                }
            }
        }
        let noted = report.suites.flatMap { suite in suite.results.filter { !$0.notes.isEmpty }.map { (suite, $0) } }
        if !noted.isEmpty {
            lines += ["", paint("Notes", .bold)]
            for (suite, result) in noted {
                lines.append("  \(suite.name)  \(result.name)")
                for note in result.notes { lines += Self.indent(note, by: "    ") }
            }
        }
        let servers = report.suites.compactMap { suite in suite.server.map { (suite.name, $0) } }
        if !servers.isEmpty {
            lines += ["", paint("Servers", .bold)]
            for (name, server) in servers {
                lines.append("  \(name): \(server.summary)")
                for limitation in server.limitations { lines.append("    weaker here: \(limitation)") }
            }
        }
        lines.append("")
        let counts = "\(report.total) check\(report.total == 1 ? "" : "s"): \(report.passed) passed, \(report.failures) failed, \(report.skipped) skipped in \(ReportFormatting.humanSeconds(report.duration))"
        lines.append(report.succeeded ? paint(counts, .green) : paint(counts, .red))
        return lines.joined(separator: "\n") + "\n"
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
