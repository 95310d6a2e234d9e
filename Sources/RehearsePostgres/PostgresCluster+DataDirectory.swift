import Foundation
import RehearseCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a run's data directory is made: copied from the ``PostgresClusterCache``, or by `initdb`.
extension PostgresCluster {
    /// Where a cluster's data directory came from.
    public enum Origin: String, Sendable, Equatable, CustomStringConvertible {
        /// `initdb` ran for this run alone (the cache is off or could not be used).
        case initdb = "initdb"
        /// `initdb` ran, and its pristine result is now in the cache for the runs after this one.
        case initdbNowCached = "initdb, now cached"
        /// A copy of the cached pristine cluster.
        case cache = "cached cluster"

        public var description: String { rawValue }
    }

    /// The `initdb` options every data directory is made with, besides how the superuser logs in. One-megabyte
    /// WAL segments keep a copy small (no verdict depends on the segment size).
    static let initdbOptions = ["-U", superuser, "-E", "UTF8", "--locale=C", "--no-sync", "--wal-segsize=1"]

    /// The `pg_hba.conf` of every cluster, the cached ones included.
    static let hostBasedAuthentication = "# Rehearse: local connections with the run's password only\nlocal all all scram-sha-256\n"

    /// Storing a new pristine cluster in a cache on another file system: a copy, done in the background (see
    /// ``BackgroundCopy``); it gives up when its argument says so.
    typealias PendingStore = @Sendable (_ shouldStop: @escaping @Sendable () -> Bool) -> Void

    /// Makes `dataDirectory`, configured and with `password` as the superuser's: from `cache` when it has a valid
    /// entry, else by `initdb` (storing the pristine result in `cache`); without a cache, `initdb` with the password.
    ///
    /// - Returns: where it came from, and the notes for `--verbose` (a rejected or unwritable cache entry).
    /// - Throws: ``EnvironmentError`` naming the failing step with its output.
    static func makeDataDirectory(
        binaries: PostgresBinaries, directory: URL, dataDirectory: URL, account: ServerAccount?, password: String,
        watchdog: ProcessWatchdog, cache: PostgresClusterCache?
    ) throws -> (Origin, [String], PendingStore?) {
        let owner = (uid: account?.uid ?? geteuid(), gid: account?.gid ?? getegid())
        let pristineArguments = initdbOptions + ["--auth=trust"]
        guard let cache, let key = pristineKey(binaries: binaries, account: account) else {
            try initializeWithPassword(binaries: binaries, directory: directory, dataDirectory: dataDirectory, account: account, password: password, watchdog: watchdog)
            try configure(directory: directory, dataDirectory: dataDirectory, account: account)
            return (.initdb, [], nil)
        }
        var notes: [String] = []
        var origin = Origin.cache
        var pending: PendingStore?
        let found = cache.restore(key, into: dataDirectory, owner: owner.uid)
        if found != .restored {
            if case let .rejected(reason) = found {
                notes.append("the cached PostgreSQL cluster \(cache.entry(key).path) was not used: \(reason); it is rebuilt")
            }
            let pristine = try buildPristine(binaries: binaries, directory: directory, account: account, arguments: pristineArguments, key: key, watchdog: watchdog)
            try PostgresClusterCache.copyData(pristine.appendingPathComponent("data", isDirectory: true), to: dataDirectory)
            let replacing = found != .missing
            if !ServerDirectoryBase.sameFileSystem(directory, cache.directory) {
                // Copying a thousand files onto a disk while nothing waits for them: the server starts meanwhile.
                pending = { shouldStop in _ = cache.store(pristine, key: key, replacing: replacing, shouldStop: shouldStop) }
                origin = .initdbNowCached
            } else if let problem = cache.store(pristine, key: key, replacing: replacing) {
                notes.append("the new pristine PostgreSQL cluster was not cached: \(problem)")
                origin = .initdb
            } else {
                origin = .initdbNowCached
            }
        }
        try configure(directory: directory, dataDirectory: dataDirectory, account: account)
        try setPassword(binaries: binaries, directory: directory, dataDirectory: dataDirectory, account: account, password: password, watchdog: watchdog)
        return (origin, notes, pending)
    }

    /// The cache key of the pristine cluster these binaries make for `account` (nil: the invoking account).
    static func pristineKey(binaries: PostgresBinaries, account: ServerAccount?) -> PostgresClusterCache.Key? {
        let owner = (uid: account?.uid ?? geteuid(), gid: account?.gid ?? getegid())
        return PostgresClusterCache.Key(binaries: binaries, initdbArguments: initdbOptions + ["--auth=trust"], account: owner)
    }

    /// `initdb` with scram-sha-256 and the run's password (from a file that is removed right after).
    private static func initializeWithPassword(binaries: PostgresBinaries, directory: URL, dataDirectory: URL, account: ServerAccount?, password: String, watchdog: ProcessWatchdog) throws {
        let passwordFile = directory.appendingPathComponent("superuser-password")
        guard FileManager.default.createFile(atPath: passwordFile.path, contents: Data((password + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw EnvironmentError("cannot write the password file in \(directory.path): \(String(cString: strerror(errno)))")
        }
        defer { try? FileManager.default.removeItem(at: passwordFile) }
        if let account { chown(passwordFile.path, account.uid, account.gid) }
        try runInitdb(
            binaries: binaries, directory: directory, account: account, watchdog: watchdog,
            arguments: ["-D", dataDirectory.path] + initdbOptions + ["--auth=scram-sha-256", "--pwfile=\(passwordFile.path)"]
        )
    }

    /// A pristine cluster in `<directory>/pristine`, ready for ``PostgresClusterCache/store(_:key:replacing:)``:
    /// `initdb` without any password, the scram-sha-256-only `pg_hba.conf`, and the manifest; all owned by the
    /// server account, the folder mode 0700. Inside the run's directory, so a killed run's half-built entry goes
    /// with the rest of it.
    private static func buildPristine(binaries: PostgresBinaries, directory: URL, account: ServerAccount?, arguments: [String], key: PostgresClusterCache.Key, watchdog: ProcessWatchdog) throws -> URL {
        let pristine = directory.appendingPathComponent("pristine", isDirectory: true)
        let data = pristine.appendingPathComponent("data", isDirectory: true)
        guard mkdir(pristine.path, 0o700) == 0 else {
            throw EnvironmentError("cannot create \(pristine.path): \(String(cString: strerror(errno)))")
        }
        if let account { chown(pristine.path, account.uid, account.gid) }
        try runInitdb(binaries: binaries, directory: directory, account: account, watchdog: watchdog, arguments: ["-D", data.path] + arguments)
        try write(hostBasedAuthentication, to: data.appendingPathComponent("pg_hba.conf"), account: account)
        let manifest = PristineManifest.scan(data, key: key.description, owner: account?.uid ?? geteuid())
        let manifestURL = pristine.appendingPathComponent(PristineManifest.fileName)
        try write(manifest.text, to: manifestURL, account: account)
        chmod(manifestURL.path, 0o600)
        return pristine
    }

    private static func runInitdb(binaries: PostgresBinaries, directory: URL, account: ServerAccount?, watchdog: ProcessWatchdog, arguments: [String]) throws {
        let initdb = try command("initdb", arguments, binaries: binaries, directory: directory, account: account, timeout: 120)
        let outcome = try initdb.run { pid in watchdog.watch(pid: pid, steps: []) }
        guard outcome.succeeded else {
            throw EnvironmentError("initdb failed (\(describe(outcome))) running \(initdb.commandLine):\n\(outcome.output)")
        }
    }

    /// Gives the superuser `password` in single-user mode: no socket is open and no connection is accepted, so
    /// there is no moment at which the cluster takes a login other than the run's password.
    ///
    /// The statement comes from a file (mode 0600, removed right after), not the command line; the server is told
    /// never to log statements, and its output is shown on failure with the password masked anyway.
    private static func setPassword(binaries: PostgresBinaries, directory: URL, dataDirectory: URL, account: ServerAccount?, password: String, watchdog: ProcessWatchdog) throws {
        let statement = directory.appendingPathComponent("set-password.sql")
        guard FileManager.default.createFile(
            atPath: statement.path, contents: Data("ALTER ROLE \(superuser) PASSWORD '\(password)'\n".utf8), attributes: [.posixPermissions: 0o600]
        ) else {
            throw EnvironmentError("cannot write \(statement.path): \(String(cString: strerror(errno)))")
        }
        defer { try? FileManager.default.removeItem(at: statement) }
        var single = try command(
            "postgres",
            [
                "--single", "-D", dataDirectory.path, "-c", "exit_on_error=on", "-c", "log_min_error_statement=panic",
                "-c", "log_min_messages=fatal", "-c", "password_encryption=scram-sha-256", "postgres",
            ],
            binaries: binaries, directory: directory, account: account, timeout: 120
        )
        // Opened by Rehearse and handed over as standard input: the server account never needs to read the file.
        single.standardInput = statement
        let outcome = try single.run { pid in watchdog.watch(pid: pid, steps: []) }
        guard outcome.succeeded, !outcome.output.contains("ERROR"), !outcome.output.contains("FATAL") else {
            let output = outcome.output.replacingOccurrences(of: password, with: "…")
            throw EnvironmentError("setting the superuser's password in single-user mode failed (\(describe(outcome))):\n\(output)")
        }
    }

    /// The `pg_hba.conf` that allows local password logins only, and the throwaway settings.
    private static func configure(directory: URL, dataDirectory: URL, account: ServerAccount?) throws {
        try write(hostBasedAuthentication, to: dataDirectory.appendingPathComponent("pg_hba.conf"), account: account)
        let settings = [
            "listen_addresses = ''",
            "unix_socket_directories = '\(directory.path.replacingOccurrences(of: "'", with: "''"))'",
            "port = \(port)",
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
            "wal_level = minimal",
            "max_wal_senders = 0",
            "max_wal_size = '256MB'",
            "checkpoint_timeout = '1d'",
            "autovacuum = off",
            "jit = off",
            "shared_buffers = '32MB'",
            // Parallel queries' shared memory as files in the data directory (pg_dynshmem), removed with it, instead
            // of /dev/shm/PostgreSQL.* segments that a killed server leaves in memory for good.
            "dynamic_shared_memory_type = mmap",
            "max_connections = 100",
            "password_encryption = 'scram-sha-256'",
            "unix_socket_permissions = 0700",
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

    private static func write(_ text: String, to url: URL, account: ServerAccount?) throws {
        do {
            try Data(text.utf8).write(to: url)
        } catch {
            throw EnvironmentError("cannot write \(url.path): \(error.localizedDescription)")
        }
        if let account { chown(url.path, account.uid, account.gid) }
    }
}
