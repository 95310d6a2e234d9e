import Foundation
internal import CLibPQ
import RehearseCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A private, throwaway PostgreSQL server: `initdb` into a fresh temporary directory, `postgres` started with a
/// unix socket only and every durability setting off.
///
/// The cluster owns its directory and its postmaster. ``close()`` stops the server (`pg_ctl stop -m immediate`,
/// then SIGKILL if it is still alive) and removes the directory; it is safe to call twice and also runs on
/// SIGINT/SIGTERM through ``CleanupRegistry``. `deinit` is only a safety net. When Rehearse runs as root the
/// server runs as `postgres` (or `nobody`), since PostgreSQL refuses to run as root.
public final class PostgresCluster: @unchecked Sendable {
    /// The superuser created by `initdb`; trust authentication, so no password exists.
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
    /// How long `initdb` plus start took.
    public let startupDuration: TimeInterval

    private let account: ServerAccount?
    /// The postmaster (or the `runuser` above it), kept so that Foundation reaps it after the stop.
    private let server: Process
    private let lock = NSLock()
    private var closed = false
    private var cleanupToken: CleanupRegistry.Token?

    /// Creates and starts a cluster.
    ///
    /// - Parameter binaries: where `initdb`, `pg_ctl` and `postgres` are; found with ``PostgresBinaries/locateServer(environment:)`` when nil.
    /// - Throws: ``EnvironmentError`` naming what is missing, or the failing step with its output (and the server log's tail).
    ///   Nothing is left behind on failure.
    public init(binaries: PostgresBinaries? = nil) throws {
        let started = Date()
        let binaries = try binaries ?? PostgresBinaries.locateServer()
        let account = try ServerAccount.forServer()
        let directory = try Self.makeDirectory(for: account)
        let dataDirectory = directory.appendingPathComponent("data", isDirectory: true)
        // Until `close()` is registered, an interrupt still stops whatever started (found via postmaster.pid)
        // and removes the directory.
        let startup = CleanupRegistry.shared.register {
            Self.tearDown(binaries: binaries, directory: directory, dataDirectory: dataDirectory, account: account, pid: nil)
        }
        defer { CleanupRegistry.shared.unregister(startup) }
        let server: Process, pid: pid_t
        do {
            try Self.initialize(binaries: binaries, directory: directory, dataDirectory: dataDirectory, account: account)
            (server, pid) = try Self.startServer(binaries: binaries, directory: directory, dataDirectory: dataDirectory, account: account)
        } catch {
            Self.tearDown(binaries: binaries, directory: directory, dataDirectory: dataDirectory, account: account, pid: nil)
            throw error
        }
        self.binaries = binaries
        self.directory = directory
        self.dataDirectory = dataDirectory
        self.account = account
        self.postmasterPID = pid
        self.server = server
        self.startupDuration = Date().timeIntervalSince(started)
        let token = CleanupRegistry.shared.register { [weak self] in self?.close() }
        lock.withLock { cleanupToken = token }
    }

    deinit {
        close()
    }

    /// Connection parameters for `database` on this server.
    public func target(database: String = "postgres") -> PostgresTarget {
        .socket(directory: socketDirectory, port: Self.port, user: Self.superuser, database: database)
    }

    /// Whether the postmaster process still runs.
    public var isRunning: Bool { Self.isAlive(postmasterPID) }

    /// Stops the server and removes its directory. Safe to call twice, and from a signal handler's thread.
    public func close() {
        // Held for the whole teardown: an interrupt arriving during a normal close waits for it to finish
        // instead of exiting halfway.
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        Self.tearDown(binaries: binaries, directory: directory, dataDirectory: dataDirectory, account: account, pid: postmasterPID)
        if server.isRunning { kill(server.processIdentifier, SIGKILL) }
        if let cleanupToken { CleanupRegistry.shared.unregister(cleanupToken) }
        cleanupToken = nil
    }

    // MARK: - Steps

    /// Whether every directory on `path` lets other users pass through (`o+x`), as the server account must.
    private static func isTraversableByOthers(_ path: String) -> Bool {
        var current = URL(fileURLWithPath: path).standardizedFileURL
        while true {
            var info = stat()
            guard stat(current.path, &info) == 0, info.st_mode & S_IXOTH != 0 else { return false }
            if current.path == "/" { return true }
            current.deleteLastPathComponent()
        }
    }

    private static func makeDirectory(for account: ServerAccount?) throws -> URL {
        // As root, the server account must be able to reach the directory: a private TMPDIR falls back to /tmp.
        let preferred = NSTemporaryDirectory()
        let base = account == nil || Self.isTraversableByOthers(preferred) ? preferred : "/tmp"
        var template = Array((base.hasSuffix("/") ? base : base + "/").appending("rehearse-pg-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw EnvironmentError("cannot create a temporary directory in \(base): \(String(cString: strerror(errno)))")
        }
        let path = String(nulTerminated: template)
        if let account {
            guard chown(path, account.uid, account.gid) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(atPath: path)
                throw EnvironmentError("cannot hand \(path) to the '\(account.name)' account that runs PostgreSQL: \(reason)")
            }
        }
        // Owner only, plus search for others so that a client running as another user can reach the socket.
        chmod(path, 0o711)
        return URL(fileURLWithPath: path, isDirectory: true)
    }

    private static func command(_ program: String, _ arguments: [String], binaries: PostgresBinaries, directory: URL, account: ServerAccount?, timeout: TimeInterval) throws -> ExternalCommand {
        guard let executable = binaries.program(program) else {
            throw EnvironmentError("\(program) is missing from \(binaries.directory.path); install the PostgreSQL server (apt-get install postgresql)")
        }
        var command = ExternalCommand(executable: executable, arguments: arguments, environment: ["LC_ALL": "C", "TZ": "UTC"], droppedVariablePrefixes: ["PG"], currentDirectory: directory, timeout: timeout)
        if let account { command = try account.wrap(command) }
        return command
    }

    private static func initialize(binaries: PostgresBinaries, directory: URL, dataDirectory: URL, account: ServerAccount?) throws {
        let initdb = try command(
            "initdb",
            ["-D", dataDirectory.path, "-U", superuser, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"],
            binaries: binaries, directory: directory, account: account, timeout: 120
        )
        let outcome = try initdb.run()
        guard outcome.succeeded else {
            throw EnvironmentError("initdb failed (\(describe(outcome))) running \(initdb.commandLine):\n\(outcome.output)")
        }
        let settings = [
            "listen_addresses = ''",
            "unix_socket_directories = '\(directory.path.replacingOccurrences(of: "'", with: "''"))'",
            "port = \(port)",
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
            "wal_level = minimal",
            "max_wal_senders = 0",
            "max_wal_size = '1GB'",
            "checkpoint_timeout = '1d'",
            "autovacuum = off",
            "jit = off",
            "shared_buffers = '32MB'",
            "max_connections = 100",
            "timezone = 'UTC'",
            "lc_messages = 'C'",
            "logging_collector = off",
            "log_min_messages = 'warning'",
        ]
        let configuration = dataDirectory.appendingPathComponent("postgresql.conf")
        do {
            let handle = try FileHandle(forWritingTo: configuration)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(("\n# Rehearse: a throwaway server\n" + settings.joined(separator: "\n") + "\n").utf8))
        } catch {
            throw EnvironmentError("cannot write \(configuration.path): \(error.localizedDescription)")
        }
    }

    /// Starts `postgres` as a child (not through `pg_ctl start`, whose daemon would keep Foundation waiting)
    /// and waits until it answers on its socket.
    private static func startServer(binaries: PostgresBinaries, directory: URL, dataDirectory: URL, account: ServerAccount?) throws -> (Process, pid_t) {
        let log = directory.appendingPathComponent("server.log")
        let server = try command("postgres", ["-D", dataDirectory.path], binaries: binaries, directory: directory, account: account, timeout: 0)
            .start(logFile: log)
        let target = PostgresTarget.socket(directory: directory.path, port: port, user: superuser, database: "postgres")
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
        guard ready, let pid = postmasterPID(dataDirectory: dataDirectory) else {
            let state = server.isRunning ? "did not accept connections within 60 s" : "exited with status \(server.terminationStatus)"
            if server.isRunning { kill(server.processIdentifier, SIGQUIT) }
            let tail = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").suffix(15).joined(separator: "\n")
            throw EnvironmentError("the disposable PostgreSQL server \(state); server log (last lines):\n\(tail)")
        }
        return (server, pid)
    }

    /// The first line of `postmaster.pid`.
    private static func postmasterPID(dataDirectory: URL) -> pid_t? {
        guard let text = try? String(contentsOf: dataDirectory.appendingPathComponent("postmaster.pid"), encoding: .utf8),
              let first = text.split(separator: "\n").first else { return nil }
        return pid_t(first.trimmingCharacters(in: .whitespaces))
    }

    private static func tearDown(binaries: PostgresBinaries, directory: URL, dataDirectory: URL, account: ServerAccount?, pid: pid_t?) {
        let pid = pid ?? postmasterPID(dataDirectory: dataDirectory)
        if let pid, isAlive(pid) {
            if let stop = try? command(
                "pg_ctl", ["stop", "-D", dataDirectory.path, "-m", "immediate", "-w", "-t", "10", "-s"],
                binaries: binaries, directory: directory, account: account, timeout: 20
            ) {
                _ = try? stop.run()
            }
            if isAlive(pid) {
                kill(pid, SIGKILL)
                let deadline = Date().addingTimeInterval(5)
                while isAlive(pid), Date() < deadline { usleep(10_000) }
            }
        }
        // A killed initdb's bootstrap backend may still be writing for a moment: retry until the tree is gone.
        let deadline = Date().addingTimeInterval(3)
        while FileManager.default.fileExists(atPath: directory.path) {
            try? FileManager.default.removeItem(at: directory)
            guard Date() < deadline else { break }
            if FileManager.default.fileExists(atPath: directory.path) { usleep(20_000) }
        }
    }

    /// True while `pid` names a live (not zombie) process.
    static func isAlive(_ pid: pid_t) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        #if os(Linux)
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
           let close = stat.lastIndex(of: ")") {
            let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
            return state != "Z" && state != "X"
        }
        #endif
        return true
    }

    private static func describe(_ outcome: ExternalCommand.Outcome) -> String {
        outcome.timedOut ? "timed out" : "exit status \(outcome.status)"
    }
}
