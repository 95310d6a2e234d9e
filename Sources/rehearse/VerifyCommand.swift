import ArgumentParser
import Foundation
import RehearseKit

/// `rehearse verify`: rehearses every install and upgrade on disposable databases and reports the checks.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Apply, validate, roll back and compare every version on disposable databases.",
        discussion: EnvironmentHelp.text
    )

    @OptionGroup var repository: RepositoryOptions

    @Option(help: ArgumentHelp("Write a JUnit XML report here.", valueName: "file"))
    var junit: String?

    @Option(help: ArgumentHelp("Write a JSON report here.", valueName: "file"))
    var json: String?

    @OptionGroup var output: OutputOptions

    @Option(help: "How many installs or upgrades to rehearse at once.")
    var jobs: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)

    @Option(name: .customLong("postgres-url"), help: ArgumentHelp("Use this PostgreSQL server; Rehearse creates and drops only rehearse_* databases. Default: $REHEARSE_POSTGRES_URL (keeps the password off the command line; libpq's PG* variables work too).", valueName: "url"))
    var postgresURL: String?

    @Option(name: .customLong("mongodb-url"), help: ArgumentHelp("Use this MongoDB server; Rehearse creates and drops only rehearse_* databases. Default: $REHEARSE_MONGODB_URL.", valueName: "url"))
    var mongodbURL: String?

    @Option(name: .customLong("statement-timeout"), help: ArgumentHelp("How long one script statement may run (500ms, 90s, 5m, 1h; 0 for no limit).", valueName: "duration"))
    var statementTimeout = DurationArgument(seconds: RehearsalOptions().statementTimeout)

    @Option(name: .customLong("lock-timeout"), help: ArgumentHelp("How long one script statement may wait for a lock (500ms, 90s, 5m, 1h; 0 for no limit).", valueName: "duration"))
    var lockTimeout = DurationArgument(seconds: RehearsalOptions().lockTimeout)

    @Option(name: .customLong("skip-missing"), help: ArgumentHelp("Skip this database's checks, with the reason, when no server for it can be found, instead of exiting 2 (repeatable).", valueName: "db"))
    var skipMissing: [DatabaseKind] = []

    @Option(help: ArgumentHelp("When idempotence is required: always, never or outside-transaction (default: the layout's rule and rehearse.yaml).", valueName: "mode"))
    var idempotence: RehearsalSubject.IdempotenceRule?

    @Flag(name: .customLong("strict-column-order"), help: "Treat a different column order as a difference, not a note.")
    var strictColumnOrder = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        let reports = [("--junit", junit), ("--json", json), ("--markdown", output.markdown)].compactMap { name, path in path.map { (name, $0) } }
        for (index, first) in reports.enumerated() {
            for second in reports[(index + 1)...] where ReportPath.sameFile(first.1, second.1) {
                throw ValidationError("\(first.0) and \(second.0) name the same file (\(second.1)); give each report its own path")
            }
        }
    }

    /// The URL options, else their environment variables, so a password need not stand on the command line.
    private func url(_ option: String?, variable: String) -> String? {
        if let option { return option }
        let value = ProcessInfo.processInfo.environment[variable] ?? ""
        return value.isEmpty ? nil : value
    }

    func run() async throws {
        let reports = VerifyReports(junit: junit, json: json, output: output)
        let started = Date()
        let report: RunReport
        do {
            let request = try repository.request(
                postgresURL: url(postgresURL, variable: "REHEARSE_POSTGRES_URL"),
                mongodbURL: url(mongodbURL, variable: "REHEARSE_MONGODB_URL"), skipMissing: Set(skipMissing),
                options: RehearsalOptions(
                    strictColumnOrder: strictColumnOrder, jobs: jobs, idempotence: idempotence,
                    statementTimeout: statementTimeout.seconds, lockTimeout: lockTimeout.seconds
                )
            )
            let console = reports.console
            let verbose = output.verbosity == .verbose
            // The disposable servers start while the scripts are parsed.
            report = try await Rehearsal.rehearse(request, planned: { rehearsal in
                if rehearsal.rehearsesNothing, let note = request.nothingToRehearseNote { FileHandle.standardOutput.write(Data((note + "\n").utf8)) }
                console.start(PlanOrder(rehearsal.plan))
            }, notice: { line in
                if verbose { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
            }) { result, suite in
                // Once interrupted, checks fail because their server is being stopped; that is not news.
                guard !CleanupRegistry.shared.isInterrupted else { return }
                console.checkFinished(result, suite: suite.name)
            }
        } catch {
            CleanupRegistry.shared.waitIfInterrupted()
            try reports.failed(error, startedAt: started)
        }
        CleanupRegistry.shared.waitIfInterrupted()
        try ReporterGroup(reports.all).runFinished(report)
        // A check the machine broke (a lost server, a full disk) is an unusable environment, not a failed migration.
        if report.environmentErrors > 0 { throw ExitCode(2) }
        if !report.succeeded { throw ExitCode(1) }
    }
}
