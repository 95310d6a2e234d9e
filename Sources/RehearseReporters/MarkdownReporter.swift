import Foundation
import RehearseCore

/// Writes a Markdown summary for a pull-request comment or a GitHub job summary: a table per suite, then each
/// failure with the file to open and its diff, then any input or environment error.
///
/// `--markdown FILE` replaces FILE atomically; the job summary (`$GITHUB_STEP_SUMMARY`) is appended to, as
/// GitHub asks of every step that writes one. A failure's details are cut after ``maximumDetailLines`` lines,
/// because GitHub truncates a summary beyond 1 MiB; the JUnit and JSON reports keep them whole.
public struct MarkdownReporter: Reporter {
    public enum Destination: Sendable, Equatable {
        /// Written atomically, replacing what was there.
        case file(URL)
        /// Appended to (created when absent).
        case append(URL)
    }

    public let destination: Destination
    public let rehearseVersion: String
    public static let maximumDetailLines = 60

    public init(destination: Destination, rehearseVersion: String) {
        self.destination = destination
        self.rehearseVersion = rehearseVersion
    }

    /// Markdown is written once, at the end.
    public func checkFinished(_ result: CheckResult, suite: String) {}

    /// - Throws: ``EnvironmentError`` naming the file when it cannot be written.
    public func runFinished(_ report: RunReport) throws {
        switch destination {
        case let .file(url):
            try ReportFile.write(render(report), to: url, kind: "Markdown")
        case let .append(url):
            try Self.append(render(report), to: url)
        }
    }

    /// The Markdown text for `report`, ending with a newline.
    public func render(_ report: RunReport) -> String {
        var lines: [String] = []
        let seconds = ReportFormatting.humanSeconds(report.duration)
        if !report.errors.isEmpty {
            let count = report.errors.count
            lines.append("### ❌ Rehearse could not rehearse: \(count) error\(count == 1 ? "" : "s")")
        } else if report.succeeded {
            lines.append("### ✅ Rehearse: \(report.total) check\(report.total == 1 ? "" : "s") passed")
        } else {
            lines.append("### ❌ Rehearse: \(report.failures) of \(report.total) check\(report.total == 1 ? "" : "s") failed")
        }
        lines.append("")
        lines.append("\(report.passed) passed, \(report.failures) failed, \(report.skipped) skipped in \(seconds) · Rehearse \(rehearseVersion)")
        if !report.suites.isEmpty {
            lines += ["", "| Suite | Server | Passed | Failed | Skipped |", "|---|---|---:|---:|---:|"]
            for suite in report.suites {
                let server = suite.server?.summary ?? "none"
                lines.append("| \(Self.code(suite.name)) | \(Self.cell(server)) | \(suite.passed) | \(suite.failures) | \(suite.skipped) |")
            }
        }
        let failed = report.suites.flatMap { suite in suite.results.compactMap { result in result.failure.map { (suite, result, $0) } } }
        if !failed.isEmpty {
            lines += ["", "#### Failures"]
            for (suite, result, failure) in failed {
                lines += ["", "**\(Self.code(suite.name)) \(Self.escape(result.name))**", ""]
                var summary = Self.escape(failure.message)
                if let location = failure.location, !failure.message.contains(location) {
                    summary = Self.code(location) + " — " + summary
                }
                if let code = failure.code, !failure.message.contains(code) { summary += " (\(Self.escape(code)))" }
                lines.append(summary)
                let details = failure.additionalDetails
                if !details.isEmpty { lines += [""] + Self.fenced(details) }
            }
        }
        if !report.errors.isEmpty {
            lines += ["", "#### Errors", ""]
            for error in report.errors {
                let location = error.location.map { Self.code($0) + " — " } ?? ""
                lines.append("- \(error.kind.rawValue): \(location)\(Self.escape(error.message))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A fenced block longer than any run of backticks inside, cut after ``maximumDetailLines`` lines.
    static func fenced(_ text: String) -> [String] {
        var body = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if body.count > maximumDetailLines {
            let cut = body.count - maximumDetailLines
            body = Array(body.prefix(maximumDetailLines)) + ["… \(cut) more line\(cut == 1 ? "" : "s") in the JUnit and JSON reports"]
        }
        var longest = 0, run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return [fence + "text"] + body + [fence]
    }

    /// Inline code that survives backticks inside (CommonMark: a longer backtick string, padded with spaces).
    static func code(_ text: String) -> String {
        let flat = cell(text)
        guard flat.contains("`") else { return "`\(flat)`" }
        return "`` \(flat) ``"
    }

    /// Text for a table cell: one line, pipes escaped.
    static func cell(_ text: String) -> String {
        JUnitReporter.oneLine(text).replacingOccurrences(of: "|", with: "\\|")
    }

    /// Plain text with the punctuation escaped that Markdown would read inline (emphasis, code, links, HTML, tables),
    /// on one line; `>` and `#` only mean something at the start of a line, where this text never stands.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in JUnitReporter.oneLine(text) {
            if "\\`*_[]<|~".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// Appends `text` to `url`, creating it when absent.
    ///
    /// - Throws: ``EnvironmentError`` naming the file when it is not a regular file or cannot be written.
    static func append(_ text: String, to url: URL) throws {
        var status = stat()
        if stat(url.path, &status) == 0, (status.st_mode & S_IFMT) != S_IFREG {
            throw EnvironmentError("cannot write the Markdown summary \(url.path): it is not a regular file")
        }
        let descriptor = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw EnvironmentError("cannot write the Markdown summary \(url.path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                throw EnvironmentError("cannot write the Markdown summary \(url.path): \(String(cString: strerror(errno)))")
            }
            written += count
        }
    }
}
