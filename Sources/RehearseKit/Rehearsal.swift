import Foundation
import RehearsePostgres
import RehearseMongo

/// A planned rehearsal: the repository is loaded and every script parsed, but no server has started yet.
///
/// ```swift
/// let report = try await Rehearsal(RehearsalRequest(path: "migrations")).run()
/// #expect(report.succeeded)
/// ```
public struct Rehearsal: Sendable {
    public let request: RehearsalRequest
    public let repository: MigrationRepository
    /// Every (project, database) pair to rehearse, in report order.
    public let suites: [Suite]

    /// One JUnit test suite to be: a project on one database.
    public struct Suite: Sendable {
        public let project: Project
        public let database: DatabaseKind
        public var name: String { "\(project.name)/\(database.rawValue)" }
    }

    private let scripts: [DatabaseKind: PreparedScripts]

    /// Loads the repository and parses every script.
    ///
    /// - Throws: ``InputError`` for anything wrong with the repository, a filter that matches nothing, or a
    ///   script that cannot be parsed.
    public init(_ request: RehearsalRequest) throws {
        self.request = request
        repository = try RepositoryLoader().load(path: request.path)
        let known = repository.projects.map(\.name)
        for name in request.projects where !known.contains(name) {
            throw InputError(file: request.path, "has no project `\(name)`; it has \(known.joined(separator: ", "))")
        }
        let projects = repository.projects.filter { request.projects.isEmpty || request.projects.contains($0.name) }
        var suites: [Suite] = []
        var scripts: [DatabaseKind: PreparedScripts] = [:]
        for project in projects {
            for database in project.databases where request.databases.isEmpty || request.databases.contains(database) {
                suites.append(Suite(project: project, database: database))
                try scripts[database, default: PreparedScripts()].prepare(project: project, database: database, with: Self.parser(for: database))
            }
        }
        guard !suites.isEmpty else {
            let filter = request.databases.map(\.rawValue).joined(separator: ", ")
            throw InputError(file: request.path, "has nothing to rehearse for \(filter.isEmpty ? "any database" : filter)")
        }
        self.suites = suites
        self.scripts = scripts
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
        for suite in suites {
            if CleanupRegistry.shared.isInterrupted { break }
            if engines[suite.database] == nil {
                let started = startEngine(suite.database)
                if case let .success(engine) = started {
                    // On an existing server, an interrupt must still drop the rehearse_* databases.
                    cleanups.append(CleanupRegistry.shared.register { engine.shutdown() })
                }
                engines[suite.database] = started
            }
            switch engines[suite.database]! {
            case let .success(engine):
                let report = await SuiteRehearsal(
                    project: suite.project, database: suite.database, engine: engine,
                    scripts: scripts[suite.database]!, options: request.options,
                    progress: { serial.report($0, suite) }
                ).run()
                reports.append(report)
            case let .failure(error):
                // Only a missing MongoDB server is skipped; a server the user named must work.
                if suite.database == .postgresql || request.required.contains(suite.database) || url(for: suite.database) != nil {
                    throw error
                }
                reports.append(SuiteRehearsal.skippedReport(
                    project: suite.project, database: suite.database, reason: error.message,
                    progress: { serial.report($0, suite) }
                ))
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
