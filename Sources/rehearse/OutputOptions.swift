import ArgumentParser
import Foundation
import RehearseKit

/// What `verify` prints and which reports it writes besides `--junit` and `--json`.
struct OutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write a Markdown summary (a table, then each failure with its diff) here, e.g. for a pull-request comment.", valueName: "file"))
    var markdown: String?

    @Flag(name: .customLong("junit-file-attributes"), help: "Add file and line to each failed JUnit test case (GitLab, action-junit-report); neither common JUnit schema allows them.")
    var junitFileAttributes = false

    @Flag(name: .shortAndLong, help: "Print only the failures and the summary line.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also print each failure's message and file, and each check's notes, as it finishes.")
    var verbose = false

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose exclude each other") }
    }

    var verbosity: ConsoleReporter.Verbosity {
        quiet ? .quiet : verbose ? .verbose : .normal
    }
}
