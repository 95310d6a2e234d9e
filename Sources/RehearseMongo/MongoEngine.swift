import Foundation
import RehearseCore

/// MongoDB behind the ``DatabaseEngine`` protocol: a disposable server (`mongod` or nx-27017) or the user's own.
///
/// Each scratch database is named `rehearse_<label>_<random>` and has its own client. On an existing server only
/// those databases are ever written or dropped.
public final class MongoEngine: DatabaseEngine, @unchecked Sendable {
    public var kind: DatabaseKind { .mongodb }

    /// Which server ran, with what the rehearsal could not do as the real tool would (see ``noteNotAtomic(_:)``).
    public var serverInfo: ServerInfo {
        lock.lock()
        defer { lock.unlock() }
        var info = baseServerInfo
        if !nonAtomicFiles.isEmpty {
            let files = nonAtomicFiles.sorted()
            let shown = files.prefix(3).joined(separator: ", ") + (files.count > 3 ? " and \(files.count - 3) more" : "")
            info.limitations.append(
                "\(info.product) has no transactions: session.withTransaction ran its callback without one, so it was not atomic (\(shown))"
            )
        }
        return info
    }
    private let baseServerInfo: ServerInfo

    /// Whether the server runs multi-document transactions (a replica set member or mongos, as `hello` says).
    public let supportsTransactions: Bool

    /// How long a JavaScript migration's `up` or `down` may take to settle before node is killed.
    public let javaScriptTimeout: TimeInterval

    /// Collections that are a migration tool's own bookkeeping (migrate-mongo's `changelog`): left out of
    /// snapshots and data fingerprints, copied by clones like any other collection.
    public var bookkeepingCollections: Set<String> {
        get {
            lock.lock()
            defer { lock.unlock() }
            return bookkeeping
        }
        set {
            lock.lock()
            bookkeeping = newValue
            lock.unlock()
        }
    }
    private var bookkeeping: Set<String> = []
    private var nonAtomicFiles: Set<String> = []
    private var node: Result<NodeProgram, EnvironmentError>?

    /// What nx-27017 0.8 does not do like mongod, found by running it (see ``MongoServerProgram``):
    /// `create` with a validator, `capped`, `collation` or `timeseries` succeeds but `listCollections` returns
    /// `options: {}` and nothing is enforced; `listIndexes` names every index `idx_<collection>_<fields>` and keeps
    /// only the key fields (ascending), `unique` and `expireAfterSeconds`; `dropIndexes` by a name it did not
    /// report, and any unknown command, answer `ok: 1` and do nothing; duplicate keys come back as `writeErrors`
    /// with code 11000; `create` of an existing collection succeeds (mongod: error 48); Decimal128 values cannot
    /// be stored and updates with an aggregation pipeline fail (write error 8); `listCollections` ignores its
    /// `filter`; a date written by `$set` is stored as a string (insert and replace keep it a date), Timestamp and
    /// regular expression values cannot be stored, `renameCollection` answers `ok: 1` and does nothing, `hello`
    /// has no `setName` (no transactions); `buildInfo` reports version 7.0.0 and `process: "nx_27017"`. It does run `insert`, `update`
    /// (`$set`, `$unset`), `delete`, `find` with `getMore`, `count`, `aggregate` (`$match`, `$count`, …),
    /// `createIndexes`/`dropIndexes` (by key pattern, by its own name or `"*"`), `drop` and `dropDatabase`, with
    /// one SQLite file per database under `--data-dir`.
    public static let nx27017Limitations = [
        "nx-27017 does not enforce $jsonSchema validators",
        "nx-27017 reports no collection options: validator, capped and collation changes are not compared",
        "nx-27017 keeps only an index's key fields, uniqueness and TTL: index names, key directions, sparse, partial filters and collations are not compared",
        "nx-27017 accepts unknown commands, and dropIndexes by a name it does not know, without an error",
        "nx-27017 stores a date written by $set as a string, and no Decimal128, Timestamp or regular expression values",
    ]

    let uri: String
    private let server: MongoServer?
    private let lock = NSLock()
    private let adminClient: MongoClient
    private var created: Set<String> = []
    private var isShutDown = false
    /// Names of scratch databases on a user's server, recorded before creation; nil for a disposable server.
    private let ledger: ScratchDatabaseLedger?

    /// Starts a disposable server: `mongod` when found (`REHEARSE_MONGOD`, `PATH`), otherwise nx-27017
    /// (`REHEARSE_NX27017`, `PATH`, the `ci/install-nx27017.sh` virtual environment).
    ///
    /// - Throws: ``EnvironmentError`` when there is no server program (the message says how to get one) or it does
    ///   not start; the caller reports the MongoDB checks as skipped with that reason.
    public static func disposable(
        environment: [String: String] = ProcessInfo.processInfo.environment, startupTimeout: TimeInterval = 60, javaScriptTimeout: TimeInterval = 300
    ) throws -> MongoEngine {
        let server = try MongoServer.start(environment: environment, timeout: startupTimeout)
        do {
            return try MongoEngine(server: server, javaScriptTimeout: javaScriptTimeout)
        } catch {
            server.close()
            throw error
        }
    }

    /// Starts a disposable server from a known program.
    public static func disposable(program: MongoServerProgram, startupTimeout: TimeInterval = 60, javaScriptTimeout: TimeInterval = 300) throws -> MongoEngine {
        let server = try MongoServer(program: program, timeout: startupTimeout)
        do {
            return try MongoEngine(server: server, javaScriptTimeout: javaScriptTimeout)
        } catch {
            server.close()
            throw error
        }
    }

    /// Uses the server at `url` (`--mongodb-url`); only databases this engine creates are touched.
    ///
    /// - Throws: ``EnvironmentError`` naming `host:port` (never the URL, which may hold a password) when the URL is
    ///   malformed or the server does not answer.
    public static func existing(url: String, javaScriptTimeout: TimeInterval = 300) throws -> MongoEngine {
        try MongoEngine(existing: url, javaScriptTimeout: javaScriptTimeout)
    }

    private init(server: MongoServer, javaScriptTimeout: TimeInterval) throws {
        self.server = server
        uri = server.uri
        adminClient = try Self.connect(uri)
        baseServerInfo = try Self.describe(adminClient, program: server.program, location: "disposable")
        supportsTransactions = Self.hasTransactions(adminClient)
        self.javaScriptTimeout = javaScriptTimeout
        ledger = nil
    }

    /// On a user's server, the `rehearse_*` databases that killed runs recorded for it are dropped first.
    private init(existing url: String, javaScriptTimeout: TimeInterval) throws {
        server = nil
        uri = url
        adminClient = try Self.connect(url)
        baseServerInfo = try Self.describe(adminClient, program: nil, location: adminClient.target)
        supportsTransactions = Self.hasTransactions(adminClient)
        self.javaScriptTimeout = javaScriptTimeout
        let ledger = ScratchDatabaseLedger(kind: DatabaseKind.mongodb.rawValue, location: adminClient.target)
        self.ledger = ledger
        let client = adminClient
        ScratchDatabaseLedger.dropAbandoned(kind: ledger.kind, location: ledger.location) { name in
            (try? client.runCommand(database: name, commandJSON: #"{"dropDatabase": 1}"#)) != nil
        }
    }

    deinit {
        shutdown()
    }

    /// The disposable server, when this engine started one.
    public var disposableServer: MongoServer? { server }

    public func createDatabase(label: String) throws -> any ScratchDatabase {
        try createMongoDatabase(label: label)
    }

    /// A new empty database called `rehearse_<label>_<random>`, with its own connection.
    ///
    /// - Throws: ``EnvironmentError`` when the server cannot be reached.
    public func createMongoDatabase(label: String) throws -> MongoDatabase {
        let name = Self.databaseName(label: label)
        ledger?.record(name)
        let client: MongoClient
        do {
            client = try MongoClient(uri: uri)
            _ = try client.runCommand(database: name, commandJSON: #"{"ping": 1}"#)
        } catch {
            // Nothing was written, so nothing was created.
            ledger?.forget(name)
            throw EnvironmentError("cannot open the MongoDB scratch database \(adminTarget)/\(name): \(error.description)")
        }
        lock.lock()
        created.insert(name)
        lock.unlock()
        return MongoDatabase(name: name, client: client, engine: self)
    }

    /// Drops every database this engine created and has not dropped yet, then stops a disposable server.
    public func shutdown() {
        lock.lock()
        guard !isShutDown else {
            lock.unlock()
            return
        }
        isShutDown = true
        let leftovers = created.sorted()
        created.removeAll()
        for name in leftovers where (try? adminClient.runCommand(database: name, commandJSON: #"{"dropDatabase": 1}"#)) != nil {
            ledger?.forget(name)
        }
        lock.unlock()
        server?.close()
    }

    // MARK: - For MongoDatabase

    /// Whether ``shutdown()`` ran: the databases are gone with it, and a disposable server no longer answers.
    var hasShutDown: Bool {
        lock.lock()
        defer { lock.unlock() }
        return isShutDown
    }

    /// Forgets a database that was dropped, so that shutdown does not drop it again.
    func didDrop(_ name: String) {
        lock.lock()
        created.remove(name)
        lock.unlock()
        ledger?.forget(name)
    }

    /// Records that `file`'s `withTransaction` ran without a transaction; the report says so (``serverInfo``).
    func noteNotAtomic(_ file: String) {
        lock.lock()
        nonAtomicFiles.insert(file)
        lock.unlock()
    }

    /// Node.js, looked up once per engine.
    ///
    /// - Throws: ``EnvironmentError`` saying what to install.
    func nodeProgram() throws -> NodeProgram {
        lock.lock()
        defer { lock.unlock() }
        if let node { return try node.get() }
        let found: Result<NodeProgram, EnvironmentError>
        do {
            found = .success(try NodeProgram.find())
        } catch let error as EnvironmentError {
            found = .failure(error)
        } catch {
            found = .failure(EnvironmentError("\(error)"))
        }
        node = found
        return try found.get()
    }

    /// `host:port` of the server, for messages.
    var adminTarget: String { adminClient.target }

    /// Whether the server is nx-27017 (some checks are weaker there).
    var isNX27017: Bool { serverInfo.product == MongoServerProgram.Product.nx27017.rawValue }

    // MARK: - Helpers

    private static func connect(_ uri: String) throws -> MongoClient {
        let client: MongoClient
        do {
            client = try MongoClient(uri: uri)
        } catch {
            throw EnvironmentError("the MongoDB URL cannot be used: \(ConnectionURL.masked(error.message))")
        }
        do {
            _ = try client.runCommand(database: "admin", commandJSON: #"{"ping": 1}"#)
        } catch {
            throw EnvironmentError("the MongoDB server at \(client.target) does not answer: \(error.description)")
        }
        return client
    }

    /// A replica set member (`setName`) or a mongos (`msg: isdbgrid`) that keeps sessions runs transactions;
    /// a standalone mongod and nx-27017 do not.
    private static func hasTransactions(_ client: MongoClient) -> Bool {
        guard let hello = try? client.command(database: "admin", #"{"hello": 1}"#) else { return false }
        let clustered = hello["setName"]?.stringValue != nil || hello["msg"]?.stringValue == "isdbgrid"
        return clustered && hello["logicalSessionTimeoutMinutes"] != nil
    }

    private static func describe(_ client: MongoClient, program: MongoServerProgram?, location: String) throws -> ServerInfo {
        let buildInfo: JSONValue
        do {
            buildInfo = try client.command(database: "admin", #"{"buildInfo": 1}"#)
        } catch {
            throw EnvironmentError("the MongoDB server at \(client.target) does not answer buildInfo: \(error.description)")
        }
        let reported = buildInfo["version"]?.stringValue ?? "unknown"
        let process = buildInfo["process"]?.stringValue ?? ""
        let isNX = program?.product == .nx27017 || process.lowercased().contains("nx_27017") || process.lowercased().contains("nx-27017")
        guard isNX else {
            return ServerInfo(product: "mongod", version: reported, location: location)
        }
        let version = program?.packageVersion().map { "\($0) (reports MongoDB \(reported))" } ?? "reports MongoDB \(reported)"
        return ServerInfo(product: MongoServerProgram.Product.nx27017.rawValue, version: version, location: location, limitations: nx27017Limitations)
    }

    /// `rehearse_<label>_<8 hex>`, at most 63 characters, only letters, digits and `_` (nx-27017 allows no more).
    static func databaseName(label: String) -> String {
        let cleaned = String(label.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) ? Character(scalar) : "_"
        })
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let suffix = "_" + String(repeating: "0", count: 8 - random.count) + random
        let room = 63 - "rehearse_".count - suffix.count
        return "rehearse_" + String(cleaned.prefix(room)) + suffix
    }
}
