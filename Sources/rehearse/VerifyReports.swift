import Foundation
import RehearseKit

/// The reporters of one `verify` run, built from its options and the environment, and the error reports
/// written when the run could not rehearse at all.
struct VerifyReports {
    let console: ConsoleReporter
    let files: [any Reporter]

    init(junit: String?, json: String?, output: OutputOptions, environment: [String: String] = ProcessInfo.processInfo.environment) {
        console = ConsoleReporter.standard(environment: environment, verbosity: output.verbosity)
        var files: [any Reporter] = []
        if let junit {
            files.append(JUnitReporter(url: URL(fileURLWithPath: junit), rehearseVersion: RehearseVersion.current, fileAttributes: output.junitFileAttributes))
        }
        if let json { files.append(JSONReporter(url: URL(fileURLWithPath: json), rehearseVersion: RehearseVersion.current)) }
        if let markdown = output.markdown {
            files.append(MarkdownReporter(destination: .file(URL(fileURLWithPath: markdown)), rehearseVersion: RehearseVersion.current))
        }
        if let summary = environment["GITHUB_STEP_SUMMARY"], !summary.isEmpty {
            files.append(MarkdownReporter(destination: .append(URL(fileURLWithPath: summary)), rehearseVersion: RehearseVersion.current))
        }
        if GitHubAnnotations.isActive(environment) {
            files.append(GitHubAnnotations(output: StandardOutput(), workspace: environment["GITHUB_WORKSPACE"]))
        }
        self.files = files
    }

    /// The console, then the files and annotations.
    var all: [any Reporter] { [console] + files }

    /// Writes every requested report for a run that `error` stopped, when it is an input or environment error,
    /// then rethrows it (the CLI prints it and exits 2).
    ///
    /// A report that cannot be written is not allowed to hide the error that stopped the run.
    func failed(_ error: any Error, startedAt: Date) throws -> Never {
        console.stop()
        guard let errors = RunError.errors(from: error) else { throw error }
        let report = RunReport(suites: [], startedAt: startedAt, duration: Date().timeIntervalSince(startedAt), errors: errors)
        try? ReporterGroup(files).runFinished(report)
        throw error
    }
}
