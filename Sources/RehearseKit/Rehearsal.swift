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
    ///   a filter that matches nothing, or a script that no server could run.
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
        var scripts = PreparedScripts()
        var errors: [InputError] = []
        for suite in selected {
            errors += scripts.prepare(suite, with: Self.parser(for: suite.database))
        }
        try InputErrors.throwIfAny(errors)
        var filtered = repository
        filtered.suites = selected
        self.scripts = scripts
        self.plan = RehearsalPlan(repository: filtered, scripts: scripts, options: request.options)
    }

    /// Starts the servers each database needs, rehearses every suite, stops the servers.
    ///
    /// - Parameter progress: called with each result as its check finishes, one call at a time.
    /// - Throws: ``EnvironmentError`` when PostgreSQL (or a database listed in `required`) cannot be had.
    public func run(progress: @escaping @Sendable (CheckResult, Suite) -> Void = { _, _ in }) async throws -> RunReport {
        let started = Date()
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
            if engines[database] == nil {
                let started = startEngine(database)
                if case let .success(engine) = started {
                    // On an existing server, an interrupt must still drop the rehearse_* databases.
                    cleanups.append(CleanupRegistry.shared.register { engine.shutdown() })
                }
                engines[database] = started
            }
            switch engines[database] {
            case let .success(engine)?:
                let report = await SuiteRehearsal(
                    plan: suite, engine: engine, scripts: scripts, options: request.options,
                    progress: { serial.report($0, suite) }
                ).run()
                reports.append(report)
            case let .failure(error)?:
                // Only a missing MongoDB server is skipped; a server the user named must work.
                if database == .postgresql || request.required.contains(database) || url(for: database) != nil {
                    throw error
                }
                reports.append(SuiteRehearsal.skippedReport(plan: suite, reason: error.message, progress: { serial.report($0, suite) }))
            case nil:
                break
            }
        }
        return RunReport(suites: reports, startedAt: started, duration: Date().timeIntervalSince(started))
    }

    private func url(for database: DatabaseKind) -> String? {
        switch database {
        case .postgresql: request.postgresURL
        case .mongodb: request.mongodbURL
        }
    }

    private func startEngine(_ database: DatabaseKind) -> Result<any DatabaseEngine, EnvironmentError> {
        do {
            switch database {
            case .postgresql:
                return .success(try request.postgresURL.map { try PostgresEngine.existing(url: $0) } ?? PostgresEngine.disposable())
            case .mongodb:
                return .success(try request.mongodbURL.map { try MongoEngine.existing(url: $0) } ?? MongoEngine.disposable())
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
