import ArgumentParser
import RehearseKit

/// `rehearse`: the root command; `verify` runs when no subcommand is named.
struct RehearseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rehearse",
        abstract: "Rehearse database migrations on disposable servers.",
        discussion: """
        Exit status: 0 every check passed (skips allowed); 1 a check failed; 2 the input or the environment \
        is unusable (the message names the file, or what to install).

        \(EnvironmentHelp.text)
        """,
        version: RehearseVersion.current,
        subcommands: [VerifyCommand.self, ListCommand.self, LintCommand.self],
        defaultSubcommand: VerifyCommand.self
    )
}
