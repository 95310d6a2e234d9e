@_exported import RehearseCore
@_exported import RehearseReporters
import Foundation
import RehearsePostgres
import RehearseMongo

/// A planned rehearsal: the repository is read and every script parsed, but no server has started yet.
///
/// ```swift
/// let report = try await Rehearsal(RehearsalRequest(path: "migrations")).run()
/// #expect(report.succeeded)
/// ```
public struct Rehearsal: Sendable {
    public let request: RehearsalRequest
    public let repository: LoadedRepository
    /// What will run: every suite (a project or chain on one database) with its subjects and checks.
    public let plan: RehearsalPlan

    /// One JUnit test suite to be: a project or chain on one database.
    public typealias Suite = PlannedSuite

    /// The suites in report order.
    public var suites: [PlannedSuite] { plan.suites }

    private let scripts: PreparedScripts

    /// Reads the repository and parses every script.
    ///
    /// - Throws: ``InputError`` (or ``InputErrors``, every file's at once) for anything wrong with the repository,
    ///   a filter that matches nothing, or a script that no server could run; for `changedSince`, an
    ///   ``InputError`` naming `--changed-since` when git does not know the revision or the repository is not in
    ///   a git work tree, and ``EnvironmentError`` when git is missing.
    public init(_ request: RehearsalRequest) throws {
        self.request = request
        repository = try MigrationSources.load(path: request.path, layout: request.layout)
        let known = Array(Set(repository.suites.map(\.name))).sorted()
        for name in request.projects where !known.contains(name) {
            throw InputError(file: request.path, "has no project `\(name)`; it has \(known.joined(separator: ", "))")
        }
        var selected: [RehearsalSuite] = []
        for suite in repository.suites {
            guard request.projects.isEmpty || request.projects.contains(suite.name) else { continue }
            guard request.databases.isEmpty || request.databases.contains(suite.database) else { continue }
            selected.append(try suite.window(from: request.from, to: request.to))
        }
        guard !selected.isEmpty else {
            let filter = request.databases.map(\.rawValue).joined(separator: ", ")
            throw InputError(file: request.path, "has nothing to rehearse for \(filter.isEmpty ? "any database" : filter)")
        }
        selected = try Self.changed(selected, since: request.changedSince, in: repository)
        var scripts = PreparedScripts()
        var errors: [InputError] = []
        for suite in selected {
            errors += try scripts.prepare(suite, with: Self.parser(for: suite.database))
        }
        try InputErrors.throwIfAny(errors)
        var filtered = repository
        filtered.suites = selected
        self.scripts = scripts
        self.plan = Self.plan(filtered, scripts: scripts, options: request.options, shard: request.shard)
    }

    /// Starts the servers each database needs, rehearses every suite, stops the servers.
    ///
    /// Honours cancellation: cancelling the task stops the servers at once (the checks then running fail
    /// quickly), and the run throws `CancellationError` instead of reporting them.
    ///
    /// - Parameter progress: called with each result as its check finishes, one call at a time.
    /// - Throws: ``EnvironmentError`` when a server cannot be had (missing, unless its database is in
    ///   `skipMissing`, or failing to start) or a server named by URL does not answer; `CancellationError`
    ///   when the task was cancelled.
    public func run(progress: @escaping @Sendable (CheckResult, Suite) -> Void = { _, _ in }) async throws -> RunReport {
        let live = LiveEngines()
        return try await withTaskCancellationHandler {
            try await rehearse(progress: progress, live: live)
        } onCancel: {
            live.cancel()
        }
    }

    private func rehearse(progress: @escaping @Sendable (CheckResult, Suite) -> Void, live: LiveEngines) async throws -> RunReport {
        let started = Date()
        let skipped = try missingServers()
        let serial = SerialProgress(progress)
        var engines: [DatabaseKind: Result<any DatabaseEngine, EnvironmentError>] = [:]
        var cleanups: [CleanupRegistry.Token] = []
        defer {
            for case let .success(engine) in engines.values { engine.shutdown() }
            for token in cleanups { CleanupRegistry.shared.unregister(token) }
        }
        var reports: [SuiteReport] = []
        for suite in plan.suites {
            if CleanupRegistry.shared.isInterrupted { break }
            let database = suite.suite.database
            let report: @Sendable (CheckResult) -> Void = { serial.report($0, suite) }
            // Nothing to apply (only the policy check is left), or no server and --skip-missing: start nothing.
            if suite.subjects.isEmpty || skipped[database] != nil {
                let reason = skipped[database] ?? "nothing to rehearse"
                reports.append(SuiteRehearsal.skippedReport(plan: suite, reason: reason, progress: report))
                continue
            }
            if engines[database] == nil {
                let started = startEngine(database)
                if case let .success(engine) = started {
                    // On an existing server, an interrupt must still drop the rehearse_* databases.
                    cleanups.append(CleanupRegistry.shared.register { engine.shutdown() })
                    live.add(engine)
                }
                engines[database] = started
            }
            switch engines[database] {
            case let .success(engine)?:
                // migrate-mongo's changelog is its bookkeeping, not the schema the migrations build.
                (engine as? MongoEngine)?.bookkeepingCollections = Set(suite.suite.bookkeepingCollections)
                reports.append(await SuiteRehearsal(
                    plan: suite, engine: engine, scripts: scripts, options: request.options, progress: report
                ).run())
            case let .failure(error)?:
                // A server that was found but does not start, or one the user named, must work: never a skip.
                throw error
            case nil:
                break
            }
        }
        // After a cancellation the checks failed because their server was stopped; that is no report.
        try Task.checkCancellation()
        return RunReport(suites: reports, startedAt: started, duration: Date().timeIntervalSince(started))
    }

    func url(for database: DatabaseKind) -> String? {
        switch database {
        case .postgresql: request.postgresURL
        case .mongodb: request.mongodbURL
        }
    }

    private func startEngine(_ database: DatabaseKind) -> Result<any DatabaseEngine, EnvironmentError> {
        do {
            switch database {
            case .postgresql:
                let timeouts = request.options.sessionTimeouts
                return .success(
                    try request.postgresURL.map { try PostgresEngine.existing(url: $0, timeouts: timeouts) }
                        ?? PostgresEngine.disposable(timeouts: timeouts)
                )
            case .mongodb:
                // A JavaScript migration that never settles is a statement that hangs: the same limit holds.
                let limit = request.options.statementTimeout > 0 ? request.options.statementTimeout : 86_400
                return .success(
                    try request.mongodbURL.map { try MongoEngine.existing(url: $0, javaScriptTimeout: limit) }
                        ?? MongoEngine.disposable(javaScriptTimeout: limit)
                )
            }
        } catch let error as EnvironmentError {
            return .failure(error)
        } catch {
            return .failure(EnvironmentError("\(database.displayName): \(error)"))
        }
    }

    static func parser(for database: DatabaseKind) -> any ScriptParser {
        switch database {
        case .postgresql: PostgresScriptParser()
        case .mongodb: MongoScriptParser()
        }
    }
}

/// Serialises progress callbacks that arrive from concurrent checks.
private final class SerialProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let forward: @Sendable (CheckResult, Rehearsal.Suite) -> Void

    init(_ forward: @escaping @Sendable (CheckResult, Rehearsal.Suite) -> Void) {
        self.forward = forward
    }

    func report(_ result: CheckResult, _ suite: Rehearsal.Suite) {
        lock.lock()
        defer { lock.unlock() }
        forward(result, suite)
    }
}
