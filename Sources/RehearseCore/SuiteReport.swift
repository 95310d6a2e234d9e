/// The results of one project on one database: a JUnit `<testsuite name="<project>/<db>">`.
public struct SuiteReport: Sendable, Equatable, Codable {
    public let project: String
    public let database: DatabaseKind
    /// Which server ran; nil when none could be had (every check is then skipped).
    public var server: ServerInfo?
    public let results: [CheckResult]
    public let duration: Double
    /// How the subjects were rehearsed (fast path or copies); never part of a verdict.
    public var paths = StepPaths()

    public init(project: String, database: DatabaseKind, server: ServerInfo?, results: [CheckResult], duration: Double) {
        self.project = project
        self.database = database
        self.server = server
        self.results = results
        self.duration = duration
    }

    /// The report of `suite`'s checks.
    public init(suite: RehearsalSuite, server: ServerInfo?, results: [CheckResult], duration: Double) {
        self.init(project: suite.name, database: suite.database, server: server, results: results, duration: duration)
    }

    /// `e-commerce/postgresql`.
    public var name: String { "\(project)/\(database.rawValue)" }
    /// `e-commerce.postgresql`, the JUnit classname.
    public var className: String { "\(project).\(database.rawValue)" }

    public var failures: Int { results.filter(\.isFailure).count }
    /// Failures of the machine rather than of a migration (counted in `failures` too): the run exits 2.
    public var environmentErrors: Int { results.filter { $0.failure?.isEnvironmental == true }.count }
    public var skipped: Int { results.filter(\.isSkipped).count }
    public var passed: Int { results.count - failures - skipped }
}
