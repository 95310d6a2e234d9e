import Foundation
internal import CLibPQ
import RehearseCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A private, throwaway PostgreSQL server: a data directory in a fresh temporary directory (copied from the
/// ``PostgresClusterCache`` of pristine clusters, else made by `initdb`), `postgres` started with a unix socket
/// only and every durability setting off.
///
/// **Private**: the directory (which holds the socket) is mode 0700 and owned by the account that runs the
/// server; logins need a random per-run password (`scram-sha-256`, local connections only, never `trust`).
/// When Rehearse runs as root the server runs as ``ServerAccount`` (`REHEARSE_SERVER_USER`, else `nobody`,
/// never `postgres`), so a migration's `COPY … TO PROGRAM` cannot touch the machine's own databases.
///
/// **Nothing outlives it**: ``close()`` stops the server with its own fast shutdown (SIGINT, then SIGQUIT,
/// SIGKILL only as a last resort), so the postmaster removes its shared memory, and removes the directory; it
/// is safe to call twice and also runs on SIGINT/SIGTERM/SIGHUP/SIGPIPE through ``CleanupRegistry``. A
/// ``ProcessWatchdog`` does the same if Rehearse dies without running it (SIGKILL, a crash), and the first
/// cluster of every run removes what killed runs left (``StaleRunReaper``, plus their shared memory).
/// `deinit` is only a safety net.
public final class PostgresCluster: @unchecked Sendable {
    /// The superuser created by `initdb`; its password is ``password``.
    public static let superuser = "rehearse"
    public static let port = 5432

    public let binaries: PostgresBinaries
    /// The temporary directory holding the data directory, the socket and the server log.
    public let directory: URL
    public let dataDirectory: URL
    /// Where the server's unix socket lives (the temporary directory itself).
    public var socketDirectory: String { directory.path }
    /// The postmaster's process id.
    public let postmasterPID: pid_t
    /// How long making the data directory plus start took.
    public let startupDuration: TimeInterval
    /// Where the data directory came from.
    public let origin: Origin
    /// What a user may want to know about the start under `--verbose` (a cache entry that was rejected, …).
    public let notes: [String]
    /// The superuser's random password for this run; never printed.
    let password: String
    /// The OS account the server runs as when Rehearse runs as root (nil: Rehearse's own account).
    let account: ServerAccount?

    private let server: ChildProcess
    private let watchdog: ProcessWatchdog
    private let lock = NSLock()
    private var closed = false
    /// The next run's spare copy of the cached cluster, being made while this run works (nil without a cache).
    private var spare: BackgroundCopy?
    /// The copy of a new pristine cluster into a cache on another file system, being made while this run works.
    private var caching: BackgroundCopy?
    private var cleanupToken: CleanupRegistry.Token?

    /// How the postmaster is stopped: fast shutdown, then immediate, then SIGKILL to its group.
    static let stopSteps = [ProcessWatchdog.Step(signal: SIGINT, grace: 10), ProcessWatchdog.Step(signal: SIGQUIT, grace: 5)]

    /// Creates and starts a cluster.
    ///
    /// - Parameter binaries: where `initdb`, `pg_ctl` and `postgres` are; found with ``PostgresBinaries/locateServer(environment:)`` when nil.
    /// - Throws: ``EnvironmentError`` naming what is missing, or the failing step with its output (and the server log's tail).
    ///   Nothing is left behind on failure.
    public convenience init(binaries: PostgresBinaries? = nil) throws {
        try self.init(binaries: binaries, cache: PostgresClusterCache.standard())
    }

    /// Creates and starts a cluster whose data directory comes from `cache` (nil: always `initdb`).
    package init(binaries: PostgresBinaries?, cache: PostgresClusterCache?) throws {
        let started = Date()
        let binaries = try binaries ?? PostgresBinaries.locateServer()
        let account = try ServerAccount.forServer()
        Self.reapStaleRuns(account: account)
        let (directory, removeOnInterrupt) = try Self.makeDirectory(for: account)
        let dataDirectory = directory.appendingPathComponent("data", isDirectory: true)
        // Until `close()` is registered, an interrupt still stops whatever started (found via postmaster.pid)
        // and removes the directory.
        let startup = CleanupRegistry.shared.register {
            Self.tearDown(directory: directory, dataDirectory: dataDirectory, server: nil)
        }
        defer { CleanupRegistry.shared.unregister(startup) }
        CleanupRegistry.shared.unregister(removeOnInterrupt)
        let watchdog: ProcessWatchdog
        do {
            watchdog = try ProcessWatchdog(directory: directory)
        } catch {
            StaleRunReaper.removeTree(directory)
            throw error
        }
        let password = Self.randomPassword()
        let server: ChildProcess, pid: pid_t, serverStop: CleanupRegistry.Token
        let origin: Origin, notes: [String], store: PendingStore?
        do {
            (origin, notes, store) = try Self.makeDataDirectory(
                binaries: binaries, directory: directory, dataDirectory: dataDirectory, account: account, password: password,
                watchdog: watchdog, cache: cache
            )
            (server, pid, serverStop) = try Self.startServer(binaries: binaries, directory: directory, dataDirectory: dataDirectory, account: account, password: password, watchdog: watchdog)
        } catch {
            Self.tearDown(directory: directory, dataDirectory: dataDirectory, server: nil)
            watchdog.dismiss()
            throw error
        }
        self.binaries = binaries
        self.directory = directory
        self.dataDirectory = dataDirectory
        self.account = account
        self.password = password
        self.origin = origin
        self.notes = notes
        self.postmasterPID = pid
        self.server = server
        self.watchdog = watchdog
        self.startupDuration = Date().timeIntervalSince(started)
        let token = CleanupRegistry.shared.register { [weak self] in self?.close(interrupted: true) }
        lock.withLock { cleanupToken = token }
        CleanupRegistry.shared.unregister(serverStop)
        if let store { adopt(BackgroundCopy(store), as: \.caching) }
        // A spare is claimed by a rename, which cannot cross file systems (a directory in memory, a cache on disk).
        if let cache, origin != .initdb, let key = Self.pristineKey(binaries: binaries, account: account),
           ServerDirectoryBase.sameFileSystem(directory, cache.directory) {
            adopt(BackgroundCopy { cache.makeSpare(key, shouldStop: $0) }, as: \.spare)
        }
    }

    /// Keeps `copy` for ``close()`` to wait for; an interrupt may have closed the cluster already, and then the copy
    /// is given up at once.
    private func adopt(_ copy: BackgroundCopy, as slot: ReferenceWritableKeyPath<PostgresCluster, BackgroundCopy?>) {
        lock.withLock {
            if closed { copy.finish(stopNow: true) } else { self[keyPath: slot] = copy }
        }
    }

    deinit {
        close()
    }

    /// Waits until a new pristine cluster this run made is in the cache (it is copied there in the background when
    /// the cache is on another file system).
    package func waitUntilCached() {
        caching?.finish(stopNow: false)
    }

    /// Connection parameters for `database` on this server.
    public func target(database: String = "postgres") -> PostgresTarget {
        .socket(directory: socketDirectory, port: Self.port, user: Self.superuser, database: database, password: password)
    }

    /// Whether the postmaster process still runs.
    public var isRunning: Bool { server.isRunning }

    /// Stops the server and removes its directory. Safe to call twice, and from a signal handler's thread.
    public func close() {
        close(interrupted: false)
    }

    /// ``close()``; on an interrupt the spare copy for the next run is given up instead of finished.
    private func close(interrupted: Bool) {
        // Held for the whole teardown: an interrupt arriving during a normal close waits for it to finish
        // instead of exiting halfway.
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        spare?.finish(stopNow: interrupted)
        caching?.finish(stopNow: interrupted)
        Self.tearDown(directory: directory, dataDirectory: dataDirectory, server: server)
        watchdog.dismiss()
        if let cleanupToken { CleanupRegistry.shared.unregister(cleanupToken) }
        cleanupToken = nil
    }

    // MARK: - Steps

    /// A fresh `rehearse-pg-XXXXXX` directory, mode 0700, owned by the server account, with its owner recorded
    /// and its removal registered for an interrupt (until the startup clean-up takes over).
    private static func makeDirectory(for account: ServerAccount?) throws -> (URL, CleanupRegistry.Token) {
        let base = try ServerDirectoryBase.choose(serverAccount: account)
        let (url, token) = try TemporaryDirectory.make(in: base, prefix: "rehearse-pg-")
        if let account {
            guard chown(url.path, account.uid, account.gid) == 0 else {
                let reason = String(cString: strerror(errno))
                StaleRunReaper.removeTree(url)
                CleanupRegistry.shared.unregister(token)
                throw EnvironmentError("cannot hand \(url.path) to the '\(account.name)' account that runs PostgreSQL: \(reason)")
            }
        }
        // The socket lives here: the owner only, so no other local user can even reach it.
        chmod(url.path, 0o700)
        return (url, token)
    }

    static func command(_ program: String, _ arguments: [String], binaries: PostgresBinaries, directory: URL, account: ServerAccount?, timeout: TimeInterval) throws -> ExternalCommand {
        guard let executable = binaries.program(program) else {
            throw EnvironmentError("\(program) is missing from \(binaries.directory.path); install the PostgreSQL server (apt-get install postgresql)")
        }
        // PG* variables of the user's environment must not redirect the disposable server's own programs.
        var command = ExternalCommand(executable: executable, arguments: arguments, environment: ["LC_ALL": "C", "TZ": "UTC"], droppedVariablePrefixes: ["PG"], currentDirectory: directory, timeout: timeout)
        if let account { command = try account.wrap(command) }
        return command
    }

    /// Starts `postgres` as a child (not through `pg_ctl start`, whose daemon would escape the watchdog) and
    /// waits until it answers on its socket.
    ///
    /// Returns the registration that stops the server on an interrupt until ``close()`` is registered; made
    /// right after the spawn, so an interrupt that already ran its clean-ups stops the server at once.
    private static func startServer(binaries: PostgresBinaries, directory: URL, dataDirectory: URL, account: ServerAccount?, password: String, watchdog: ProcessWatchdog) throws -> (ChildProcess, pid_t, CleanupRegistry.Token) {
        let log = directory.appendingPathComponent("server.log")
        let postgres = try command("postgres", ["-D", dataDirectory.path], binaries: binaries, directory: directory, account: account, timeout: 0)
        let (server, stopOnInterrupt) = try CleanupRegistry.shared.create({ try postgres.start(logFile: log) }, cleanup: { $0.stop(stopSteps) })
        watchdog.watch(pid: server.pid, steps: stopSteps)
        let target = PostgresTarget.socket(directory: directory.path, port: port, user: superuser, database: "postgres", password: password)
        let deadline = Date().addingTimeInterval(60)
        var ready = false
        while server.isRunning, Date() < deadline {
            let answer = target.withConnectionParameters { keywords, values in PQpingParams(keywords, values, 0) }
            if answer == PQPING_OK {
                ready = true
                break
            }
            usleep(10_000)
        }
        guard ready, postmasterPID(dataDirectory: dataDirectory) == server.pid else {
            let state = server.isRunning ? "did not accept connections within 60 s" : "exited with status \(server.terminationStatus ?? -1)"
            server.stop(stopSteps)
            CleanupRegistry.shared.unregister(stopOnInterrupt)
            let tail = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").suffix(15).joined(separator: "\n")
            throw EnvironmentError("the disposable PostgreSQL server \(state); server log (last lines):\n\(tail)")
        }
        return (server, server.pid, stopOnInterrupt)
    }

    /// Stops the postmaster (our child when `server` is given, else the one `postmaster.pid` names) with its own
    /// shutdown, so it removes its shared memory, then removes the directory.
    private static func tearDown(directory: URL, dataDirectory: URL, server: ChildProcess?) {
        if let server {
            server.stop(stopSteps)
        } else if let pid = postmasterPID(dataDirectory: dataDirectory) {
            StaleRunReaper.stop(pid: pid, steps: stopSteps, directory: directory)
        }
        StaleRunReaper.removeTree(directory)
    }

    /// True while `pid` names a live (not zombie) process.
    static func isAlive(_ pid: pid_t) -> Bool {
        RunOwner.isRunning(pid)
    }

    /// 32 random bytes as hex: a password no one types.
    private static func randomPassword() -> String {
        (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    static func describe(_ outcome: ExternalCommand.Outcome) -> String {
        outcome.timedOut ? "timed out" : "exit status \(outcome.status)"
    }
}
