import Foundation
import RehearseCore

/// PostgreSQL for Rehearse: a disposable server it starts itself, or a user's server given by URL.
///
/// Scratch databases are created empty from `template0` (``createDatabase(label:)``) or as template copies of
/// another scratch database (``PostgresDatabase/clone(label:)``), always named `rehearse_<label>_<random>`.
/// On a user's server only those databases are ever created or dropped, and each name is recorded in a
/// ``ScratchDatabaseLedger`` before it is created, so that the next run drops what a killed run left there.
/// Every session for scripts has the engine's ``SessionTimeouts``. CREATE and DROP DATABASE go through
/// one maintenance connection behind a lock, so the engine is safe to share between threads; each
/// ``PostgresDatabase`` has its own connection and is used by one thread at a time.
public final class PostgresEngine: DatabaseEngine, @unchecked Sendable {
    public let kind = DatabaseKind.postgresql
    public let serverInfo: ServerInfo
    /// The disposable server, when Rehearse started one.
    public let cluster: PostgresCluster?
    /// The maintenance database on the server (`postgres`, or the database named in the user's URL).
    public let target: PostgresTarget
    /// `statement_timeout` and `lock_timeout` of every session opened for scripts.
    public let sessionTimeouts: SessionTimeouts
    /// `PQserverVersion`, e.g. 150020.
    public let serverVersionNumber: Int

    private let lock = NSLock()
    private var maintenance: PostgresConnection?
    /// Scratch databases created and not yet dropped.
    private var live: Set<String> = []
    private var isShutDown = false
    /// Names of scratch databases on a user's server, recorded before creation; nil for the disposable server.
    private let ledger: ScratchDatabaseLedger?

    private init(cluster: PostgresCluster?, target: PostgresTarget, location: String, timeouts: SessionTimeouts) throws {
        let connection = try PostgresConnection(target)
        self.cluster = cluster
        self.target = target
        self.sessionTimeouts = timeouts
        ledger = cluster == nil ? ScratchDatabaseLedger(kind: DatabaseKind.postgresql.rawValue, location: location) : nil
        self.maintenance = connection
        self.serverVersionNumber = connection.serverVersionNumber
        self.serverInfo = ServerInfo(product: "PostgreSQL", version: connection.serverVersion, location: location)
    }

    deinit {
        shutdown()
    }

    /// Starts a private server in a temporary directory (see ``PostgresCluster``); ``shutdown()`` stops it and
    /// removes the directory.
    ///
    /// - Throws: ``EnvironmentError`` when the PostgreSQL programs are missing or the server does not start.
    public static func disposable(binaries: PostgresBinaries? = nil, timeouts: SessionTimeouts = SessionTimeouts()) throws -> PostgresEngine {
        let cluster = try PostgresCluster(binaries: binaries)
        do {
            return try PostgresEngine(cluster: cluster, target: cluster.target(database: "postgres"), location: "disposable", timeouts: timeouts)
        } catch {
            cluster.close()
            throw EnvironmentError("the disposable PostgreSQL server started but does not accept connections: \(error)")
        }
    }

    /// Uses the server at `url` (`postgresql://user:secret@host:port/db` or a conninfo string). The maintenance
    /// connection goes to the URL's database, or `postgres` when it names none; the user needs CREATEDB.
    ///
    /// libpq's `PG*` variables (`PGPASSWORD`, `PGUSER`, …) fill in what the URL leaves out, for every
    /// connection and for `pg_dump`/`pg_restore` alike. The `rehearse_*` databases that killed runs recorded
    /// for this server are dropped first.
    ///
    /// - Throws: ``InputError`` for a malformed URL, ``EnvironmentError`` when the server cannot be reached;
    ///   messages show `host:port/db`, never the password.
    public static func existing(url: String, timeouts: SessionTimeouts = SessionTimeouts()) throws -> PostgresEngine {
        var target = try PostgresTarget(url: url)
        if target.databaseName == nil { target = target.database("postgres") }
        let engine: PostgresEngine
        do {
            engine = try PostgresEngine(cluster: nil, target: target, location: target.location, timeouts: timeouts)
        } catch let error as PostgresError where error.kind == .connection {
            throw EnvironmentError(ConnectionURL.masked(error.description))
        } catch {
            throw EnvironmentError(ConnectionURL.masked("cannot use the PostgreSQL server at \(target): \(error)"))
        }
        engine.dropAbandonedDatabases()
        return engine
    }

    /// Drops the databases that dead runs recorded for this server.
    private func dropAbandonedDatabases() {
        ScratchDatabaseLedger.dropAbandoned(kind: DatabaseKind.postgresql.rawValue, location: target.location) { name in
            lock.withLock { (try? dropLocked(name)) != nil }
        }
    }

    public func createDatabase(label: String) throws -> any ScratchDatabase {
        try newDatabase(label: label)
    }

    /// ``createDatabase(label:)`` with its concrete type: an empty database from `template0`.
    ///
    /// - Throws: ``EnvironmentError`` with the server's reason.
    public func newDatabase(label: String) throws -> PostgresDatabase {
        PostgresDatabase(engine: self, name: try createDatabase(label: label, template: "template0"))
    }

    /// Connection parameters for `database` on this server, with the session limits for scripts.
    public func target(database: String) -> PostgresTarget {
        target.database(database).with(sessionTimeouts: sessionTimeouts)
    }

    /// Scratch databases created and not yet dropped.
    public var liveDatabases: Set<String> {
        lock.withLock { live }
    }

    /// Drops what is left of Rehearse's databases on a user's server, or stops the disposable server.
    /// Safe to call twice.
    public func shutdown() {
        lock.lock()
        defer { lock.unlock() }
        guard !isShutDown else { return }
        if let cluster {
            maintenance?.close()
            cluster.close()
        } else {
            for name in live.sorted() {
                _ = try? dropLocked(name)
            }
            maintenance?.close()
        }
        isShutDown = true
        maintenance = nil
        live.removeAll()
    }

    // MARK: - For PostgresDatabase

    /// `CREATE DATABASE rehearse_<label>_<random> TEMPLATE template`, as a file copy where the server has that
    /// strategy (15+); returns the new name. A name already taken is retried with another random suffix.
    ///
    /// The template must have no other connections; the caller closes its own first.
    func createDatabase(label: String, template: String) throws -> String {
        let strategy = serverVersionNumber >= 150_000 ? " STRATEGY FILE_COPY" : ""
        var attempt = 0
        while true {
            attempt += 1
            let name = Self.uniqueName(label: label)
            ledger?.record(name)
            do {
                try withMaintenance { connection in
                    try connection.execute("CREATE DATABASE \(Self.quoted(name)) TEMPLATE \(Self.quoted(template))\(strategy)")
                    live.insert(name)
                }
                return name
            } catch let error as PostgresError {
                ledger?.forget(name)
                if error.sqlState == "42P04", attempt < 5 { continue }
                let source = template == "template0" ? "" : " from \(template)"
                throw EnvironmentError("cannot create database \(name)\(source) on \(target.location): \(error)")
            }
        }
    }

    /// Drops a scratch database, disconnecting any session still in it. Does nothing after ``shutdown()``.
    func dropDatabase(named name: String) {
        lock.lock()
        defer { lock.unlock() }
        guard !isShutDown else { return }
        _ = try? dropLocked(name)
    }

    /// Where `pg_dump` and `pg_restore` come from: the disposable server's own directory (same version),
    /// else the usual search.
    func program(_ name: String) -> URL? {
        cluster?.binaries.program(name) ?? PostgresBinaries.locate(program: name)
    }

    /// The inherited variables `pg_dump` and `pg_restore` must not see: on the disposable server every `PG*`
    /// (only Rehearse's own settings apply); on a user's server none, so `PGPASSWORD`, `PGSSLMODE`, … work
    /// for the tools as they do for Rehearse's own connections.
    var droppedToolVariablePrefixes: [String] {
        cluster == nil ? [] : ["PG"]
    }

    // MARK: - Helpers

    private func withMaintenance<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try withMaintenanceLocked(body)
    }

    private func withMaintenanceLocked<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        guard !isShutDown else {
            throw PostgresError.connection("the PostgreSQL engine was already shut down", target: target.description)
        }
        if maintenance?.transactionStatus == .unknown {
            maintenance?.close()
            maintenance = nil
        }
        let connection = try maintenance ?? PostgresConnection(target)
        maintenance = connection
        return try body(connection)
    }

    private func dropLocked(_ name: String) throws {
        precondition(name.hasPrefix("rehearse_"), "Rehearse drops only the databases it created")
        let force = serverVersionNumber >= 130_000 ? " WITH (FORCE)" : ""
        _ = try withMaintenanceLocked { connection in
            try connection.execute("DROP DATABASE IF EXISTS \(Self.quoted(name))\(force)")
        }
        live.remove(name)
        ledger?.forget(name)
    }

    /// `rehearse_<label>_<8 hex digits>`: lower-case letters, digits and `_` only, at most 63 bytes.
    static func uniqueName(label: String) -> String {
        var cleaned = ""
        for character in label.lowercased().unicodeScalars {
            let keep = ("a"..."z").contains(character) || ("0"..."9").contains(character)
            if keep {
                cleaned.unicodeScalars.append(character)
            } else if !cleaned.hasSuffix("_"), !cleaned.isEmpty {
                cleaned += "_"
            }
        }
        while cleaned.hasSuffix("_") { cleaned.removeLast() }
        if cleaned.isEmpty { cleaned = "db" }
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "rehearse_\(cleaned.prefix(40))_\(String(repeating: "0", count: 8 - random.count) + random)"
    }

    /// A quoted SQL identifier.
    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.doubling("\"") + "\""
    }
}
