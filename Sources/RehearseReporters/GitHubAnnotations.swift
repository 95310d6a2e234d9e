import Foundation
import RehearseCore

/// Prints each failure and each input or environment error as a GitHub Actions workflow command,
/// `::error file=…,line=…,col=…,title=…::message`, so that the pull request shows it on the SQL file's line.
///
/// The CLI adds it under `GITHUB_ACTIONS=true`. GitHub reads paths relative to the repository (the
/// workspace), while Rehearse names files as the user wrote the path, relative to the working directory;
/// ``workspace`` and ``currentDirectory`` turn one into the other.
public struct GitHubAnnotations: Reporter {
    public let output: any ConsoleOutput
    /// `$GITHUB_WORKSPACE`, when set.
    public let workspace: String?
    public let currentDirectory: String
    /// Lines of a failure's details an annotation carries after its message.
    public static let maximumDetailLines = 20

    public init(
        output: any ConsoleOutput, workspace: String? = ProcessInfo.processInfo.environment["GITHUB_WORKSPACE"],
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) {
        self.output = output
        self.workspace = workspace
        self.currentDirectory = currentDirectory
    }

    /// Whether the environment is a GitHub Actions job.
    public static func isActive(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        environment["GITHUB_ACTIONS"] == "true"
    }

    /// Annotations are printed once, at the end, after the console's summary.
    public func checkFinished(_ result: CheckResult, suite: String) {}

    public func runFinished(_ report: RunReport) throws {
        let lines = commands(for: report)
        if !lines.isEmpty { output.write(lines.joined(separator: "\n") + "\n") }
    }

    /// One `::error …::` line per failure and per error, in report order.
    public func commands(for report: RunReport) -> [String] {
        var lines: [String] = []
        for suite in report.suites {
            for result in suite.results {
                guard let failure = result.failure else { continue }
                var message = failure.message
                let details = failure.additionalDetails.split(separator: "\n", omittingEmptySubsequences: false)
                if !details.isEmpty, details != [""] {
                    message += "\n\n" + details.prefix(Self.maximumDetailLines).joined(separator: "\n")
                    if details.count > Self.maximumDetailLines { message += "\n…" }
                }
                lines.append(command(
                    file: failure.file, line: failure.line, column: failure.column,
                    title: "\(suite.name) \(result.name)", message: message
                ))
            }
        }
        for error in report.errors {
            lines.append(command(
                file: error.file, line: error.line, column: error.column,
                title: "Rehearse \(error.kind.rawValue) error", message: error.message
            ))
        }
        return lines
    }

    private func command(file: String?, line: Int?, column: Int?, title: String, message: String) -> String {
        var properties: [String] = []
        if let file, !file.hasPrefix("-") { properties.append("file=" + Self.escapeProperty(relativeToWorkspace(file))) }
        if file != nil, let line { properties.append("line=\(line)") }
        if file != nil, line != nil, let column { properties.append("col=\(column)") }
        properties.append("title=" + Self.escapeProperty(title))
        return "::error " + properties.joined(separator: ",") + "::" + Self.escapeData(message)
    }

    /// `file` relative to the workspace when it lies inside it; as given otherwise.
    func relativeToWorkspace(_ file: String) -> String {
        guard let workspace, !workspace.isEmpty else { return file }
        let absolute = file.hasPrefix("/") ? file : URL(fileURLWithPath: currentDirectory).appendingPathComponent(file).standardizedFileURL.path
        let root = URL(fileURLWithPath: workspace).standardizedFileURL.path
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return absolute.hasPrefix(prefix) ? String(absolute.dropFirst(prefix.count)) : file
    }

    /// The escaping of @actions/core's `escapeData`: `%`, CR and LF.
    static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// The escaping of @actions/core's `escapeProperty`: also `:` and `,`.
    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
