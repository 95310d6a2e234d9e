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
        try self.init(request, warmup: nil)
    }

    /// ``init(_:)``, starting the disposable servers the selected suites need in `warmup` as soon as the layout
    /// has said which databases they are on, so that they start while the scripts are parsed.
    init(_ request: RehearsalRequest, warmup: ServerWarmup?) throws {
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
        if let warmup {
            for database in Set(selected.map(\.database)).sorted() where Self.canStartDisposable(database, request: request) {
                warmup.start(database) { [request] in Self.startEngine(database, request: request) }
            }
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

    /// Reads the repository and parses every script while the disposable servers it needs start, then rehearses:
    /// ``init(_:)`` and ``run(progress:)`` in one, with the servers' start hidden behind the parsing.
    ///
    /// The errors are those of ``init(_:)`` and ``run(progress:)``, in the same order: an input error is reported
    /// as such even when a server started meanwhile (it is stopped first) or failed to start.
    ///
    /// - Parameters:
    ///   - planned: called with the rehearsal once it is planned, before any check runs (to announce the plan).
    ///   - notice: lines for `--verbose`: when each server was ready and how its data directory was made.
    public static func rehearse(
        _ request: RehearsalRequest, planned: (Rehearsal) -> Void = { _ in }, notice: @escaping @Sendable (String) -> Void = { _ in },
        progress: @escaping @Sendable (CheckResult, Suite) -> Void = { _, _ in }
    ) async throws -> RunReport {
        let warmup = ServerWarmup()
        defer { warmup.shutdownAll() }
        let rehearsal = try Rehearsal(request, warmup: warmup)
        planned(rehearsal)
        return try await rehearsal.run(warmup: warmup, notice: notice, progress: progress)
    }

    /// Starts the servers each database needs, rehearses every suite, stops the servers.
    ///
    /// Suites run side by side (suites on MongoDB one after another when they need different bookkeeping
    /// collections, which are one setting of the engine), their installs and upgrades together at most
    /// `options.jobs` at once; the report lists them in plan order, as a serial run would.
    ///
    /// Honours cancellation: cancelling the task stops the servers at once (the checks then running fail
    /// quickly), and the run throws `CancellationError` instead of reporting them.
    ///
    /// - Parameter progress: called with each result as its check finishes, one call at a time.
    /// - Throws: ``EnvironmentError`` when a server cannot be had (missing, unless its database is in
    ///   `skipMissing`, or failing to start) or a server named by URL does not answer; `CancellationError`
    ///   when the task was cancelled.
    public func run(progress: @escaping @Sendable (CheckResult, Suite) -> Void = { _, _ in }) async throws -> RunReport {
        let warmup = ServerWarmup()
        defer { warmup.shutdownAll() }
        return try await run(warmup: warmup, notice: { _ in }, progress: progress)
    }

    private func run(
        warmup: ServerWarmup, notice: @escaping @Sendable (String) -> Void, progress: @escaping @Sendable (CheckResult, Suite) -> Void
    ) async throws -> RunReport {
        let live = LiveEngines()
        return try await withTaskCancellationHandler {
            try await rehearse(progress: progress, notice: notice, live: live, warmup: warmup)
        } onCancel: {
            live.cancel()
        }
    }

    private func rehearse(
        progress: @escaping @Sendable (CheckResult, Suite) -> Void, notice: @escaping @Sendable (String) -> Void, live: LiveEngines,
        warmup: ServerWarmup
    ) async throws -> RunReport {
        let started = Date()
        let skipped: [DatabaseKind: String]
        do {
            skipped = try missingServers()
        } catch {
            warmup.shutdownAll()
            throw error
        }
        let serial = SerialProgress(progress)
        var cleanups: [CleanupRegistry.Token] = []
        defer {
            warmup.shutdownAll()
            for token in cleanups { CleanupRegistry.shared.unregister(token) }
        }
        var reports: [SuiteReport?] = Array(repeating: nil, count: plan.suites.count)
        // Nothing to apply (only the policy check is left), or no server and --skip-missing: start nothing.
        var lanes: [DatabaseKind: [[Int]]] = [:]
        // The engine's bookkeeping collections are one setting: MongoDB suites that need different ones share a
        // lane, one after another.
        let mongoBookkeeping = Set(plan.suites.filter { $0.suite.database == .mongodb }.map { Set($0.suite.bookkeepingCollections) })
        for (index, suite) in plan.suites.enumerated() {
            let database = suite.suite.database
            if suite.subjects.isEmpty || skipped[database] != nil {
                let reason = skipped[database] ?? "nothing to rehearse"
                reports[index] = SuiteRehearsal.skippedReport(plan: suite, reason: reason) { serial.report($0, suite) }
                continue
            }
            if database == .mongodb, mongoBookkeeping.count > 1, !(lanes[database] ?? []).isEmpty {
                lanes[database]?[0].append(index)
            } else {
                lanes[database, default: []].append([index])
            }
        }
        // Every server starts at once (those not already warm); the first to fail, in plan order, ends the run.
        let needed = plan.suites.map(\.suite.database).reduce(into: [DatabaseKind]()) { order, database in
            if lanes[database] != nil, !order.contains(database) { order.append(database) }
        }
        for database in needed {
            warmup.start(database) { [request] in Self.startEngine(database, request: request) }
        }
        var engines: [DatabaseKind: any DatabaseEngine] = [:]
        for database in needed {
            guard let outcome = await warmup.outcome(database) else { continue }
            switch outcome.result {
            case let .success(engine):
                // On an existing server, an interrupt must still drop the rehearse_* databases.
                cleanups.append(CleanupRegistry.shared.register { engine.shutdown() })
                live.add(engine)
                engines[database] = engine
                Self.readyLines(database, engine: engine, outcome: outcome).forEach(notice)
            case let .failure(error):
                // A server that was found but does not start, or one the user named, must work: never a skip.
                throw error
            }
        }
        let slots = JobSlots(request.options.jobs)
        let laneList = needed.flatMap { lanes[$0] ?? [] }
        let ready = engines
        let finished = await withTaskGroup(of: [(Int, SuiteReport)].self) { group in
            for lane in laneList {
                group.addTask { [plan, scripts, request] in
                    var done: [(Int, SuiteReport)] = []
                    for index in lane {
                        if CleanupRegistry.shared.isInterrupted { break }
                        let suite = plan.suites[index]
                        guard let engine = ready[suite.suite.database] else { continue }
                        // migrate-mongo's changelog is its bookkeeping, not the schema the migrations build.
                        (engine as? MongoEngine)?.bookkeepingCollections = Set(suite.suite.bookkeepingCollections)
                        let report = await SuiteRehearsal(
                            plan: suite, engine: engine, scripts: scripts, options: request.options,
                            progress: { serial.report($0, suite) }, slots: slots
                        ).run()
                        done.append((index, report))
                    }
                    return done
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        // What a server could not do is learnt while suites run side by side; each suite reports the server as the
        // whole run found it, so a report does not depend on which suite finished first.
        for (index, var report) in finished {
            if report.server != nil, let engine = ready[report.database] { report.server = engine.serverInfo }
            reports[index] = report
        }
        // After a cancellation the checks failed because their server was stopped; that is no report.
        try Task.checkCancellation()
        return RunReport(suites: reports.compactMap { $0 }, startedAt: started, duration: Date().timeIntervalSince(started))
    }

    /// The `--verbose` lines for a server that is ready: when, and where its data directory came from.
    static func readyLines(_ database: DatabaseKind, engine: any DatabaseEngine, outcome: ServerWarmup.Started) -> [String] {
        let after = outcome.sinceProcessStart.map { String(format: " %.2f s after start", $0) } ?? ""
        var how = String(format: "started in %.2f s", outcome.duration)
        var notes: [String] = []
        if let cluster = (engine as? PostgresEngine)?.cluster {
            how += ", \(cluster.origin)"
            notes = cluster.notes
        }
        return ["\(engine.serverInfo.product) server ready\(after) (\(how))"] + notes.map { "note: \($0)" }
    }

    /// Whether `database`'s disposable server can be started now: no URL names another one, and its programs are
    /// found (else ``missingServers(environment:)`` decides later what to say).
    static func canStartDisposable(_ database: DatabaseKind, request: RehearsalRequest) -> Bool {
        let url = database == .postgresql ? request.postgresURL : request.mongodbURL
        guard url == nil else { return false }
        do {
            return try missingServer(database, environment: ProcessInfo.processInfo.environment) == nil
        } catch {
            return false
        }
    }

    func url(for database: DatabaseKind) -> String? {
        switch database {
        case .postgresql: request.postgresURL
        case .mongodb: request.mongodbURL
        }
    }

    static func startEngine(_ database: DatabaseKind, request: RehearsalRequest) -> Result<any DatabaseEngine, EnvironmentError> {
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
