import ArgumentParser
import Foundation
import RehearseKit

extension LintFormat: ExpressibleByArgument {}

/// `rehearse lint`: the static safety rules over every forward PostgreSQL script, without a server.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check every forward SQL script against the static safety rules, without a server.",
        discussion: """
        Silence a rule for one statement with a comment on the lines right before it: \
        `-- rehearse:allow <rule>[, <rule>…] <reason>`; for a whole project with `spec.lint.allow: [rules]` in \
        project-config.yaml, or `allow: [rules]` in rehearse.yaml.

        Exit status: 0 no error-level finding (warnings and advisories allowed); 1 an error-level finding; \
        2 the repository cannot be read.

        Rules:
        \(Linter.rules.map { "  \($0.name) (\($0.severity.rawValue))" }.joined(separator: "\n"))
        """
    )

    @Argument(help: "The migration repository (or one project folder).")
    var path: String = "."

    @Option(help: ArgumentHelp("Read the repository with this layout instead of detecting it.", valueName: "name"))
    var layout: String?

    @Option(help: "human, json, sarif (SARIF 2.1.0, for GitHub code scanning) or github (workflow annotations).")
    var format: LintFormat = .human

    @Option(help: ArgumentHelp("Write the report here instead of to standard output; the human listing still goes to standard output.", valueName: "file"))
    var output: String?

    func run() throws {
        let report = try Linter().lint(path: path, layout: layout)
        let text = format.render(report, toolVersion: RehearseVersion.current)
        if let output {
            try ReportFile.write(text, to: URL(fileURLWithPath: output), kind: format.rawValue)
            if format != .human { print(LintFormat.human.render(report, toolVersion: RehearseVersion.current), terminator: "") }
        } else {
            print(text, terminator: "")
        }
        if report.hasErrors { throw ExitCode(1) }
    }
}
