/// A running server (disposable or the user's) that hands out scratch databases.
///
/// Implementations are thread-safe; each ``ScratchDatabase`` they return is not, and is used
/// by one thread at a time.
public protocol DatabaseEngine: AnyObject, Sendable {
    var kind: DatabaseKind { get }
    /// Which server ran, for the console and the JUnit `<properties>`.
    var serverInfo: ServerInfo { get }
    /// Creates a new empty database with a unique name (`rehearse_…`). The caller drops it.
    ///
    /// - Throws: ``EnvironmentError`` when the server cannot create it.
    func createDatabase(label: String) throws -> any ScratchDatabase
    /// Stops a disposable server and removes its files. Safe to call twice; does nothing to an existing server
    /// beyond dropping the databases Rehearse created.
    func shutdown()
}

/// A database that Rehearse created for one check and drops afterwards.
public protocol ScratchDatabase: AnyObject {
    var name: String { get }
    /// Runs every statement in order, stopping at the first failure.
    ///
    /// - Throws: ``ScriptFailure`` for a statement the server rejected.
    func apply(_ script: PreparedScript) throws
    /// Runs a validator: every statement must succeed and hold (see DESIGN.md).
    ///
    /// - Throws: ``ScriptFailure`` naming the statement that failed or did not hold.
    func validate(_ script: PreparedScript) throws
    /// Reads the schema from the catalog; the harness's own bookkeeping is left out.
    func snapshot() throws -> SchemaSnapshot
    /// Reads every row or document of every table or collection.
    func fingerprint() throws -> DataFingerprint
    /// Says cheaply whether data changed: per table its row count and a digest of its rows, without the rows
    /// (a digest-only ``DataFingerprint``, which ``DataDiff`` compares by count and digest). Equal data gives
    /// equal digests. Engines that cannot digest return ``fingerprint()``.
    func dataDigest() throws -> DataFingerprint
    /// A new database with the same schema and data (a template copy where the server allows it).
    func clone(label: String) throws -> any ScratchDatabase
    /// Dumps this database with the server's own tool, restores the dump into a fresh database
    /// and returns that database's snapshot; the fresh database is dropped.
    ///
    /// - Throws: ``BackupUnavailable`` when the server has no dump tool here; ``ScriptFailure`` when dump or restore fails.
    func backupRoundTrip() throws -> SchemaSnapshot
    /// Drops the database. Safe to call twice.
    func drop()
    /// True when ``validate(_:)`` can never change the database (it runs inside a transaction that is rolled
    /// back), so validators may run on the forward result itself instead of on a copy.
    var validatorsLeaveNoTrace: Bool { get }
}

extension ScratchDatabase {
    public var validatorsLeaveNoTrace: Bool { false }

    public func dataDigest() throws -> DataFingerprint { try fingerprint() }
}

/// The dump tools the `backup` check needs are not installed; the check is skipped with this reason.
public struct BackupUnavailable: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// What ran the checks of one database, as reported to the user.
public struct ServerInfo: Sendable, Equatable, Codable {
    /// `PostgreSQL`, `mongod`, `nx-27017`.
    public var product: String
    /// The server's own version string, e.g. `15.20`.
    public var version: String
    /// `disposable` or where the existing server is (`host:port`), never with a password.
    public var location: String
    /// Where a check is weaker on this server than on the real thing.
    public var limitations: [String]

    public init(product: String, version: String, location: String, limitations: [String] = []) {
        self.product = product
        self.version = version
        self.location = location
        self.limitations = limitations
    }

    /// `PostgreSQL 15.20 (disposable)`.
    public var summary: String { "\(product) \(version) (\(location))" }
}
