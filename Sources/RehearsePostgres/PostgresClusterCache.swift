import Foundation
import RehearseCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Pristine `initdb`'d data directories kept under the cache directory, so that a run copies one instead of
/// running `initdb` (a copy takes a tenth of the time).
///
/// Where: `${REHEARSE_CACHE_DIR:-$HOME/.cache/rehearse}/postgres-clusters/<key>/`, one entry per PostgreSQL
/// build (the real path, size and modification time of `postgres` and `initdb`, so an upgrade makes a new
/// entry), `initdb` options and server account. `REHEARSE_NO_CLUSTER_CACHE=1` turns the cache off.
///
/// **No password is cached.** The entry is made by `initdb` without any password (so the superuser has no
/// password verifier at all in the cached catalog) and its `pg_hba.conf` is replaced by the scram-sha-256-only
/// one before it is stored; no server ever runs on an entry. Each run gives the superuser its own random
/// password on its own copy in single-user mode (``PostgresCluster``), which opens no socket, before the
/// postmaster starts. So neither a password nor its verifier outlives its run, and reading an entry yields no
/// login to any run. The alternatives were worse: caching the first run's verifier would let whoever learned one
/// run's password into every later one; resetting the password over a first connection needs a login that is not
/// a per-run password (`trust` or `peer`) for a moment.
///
/// **Private, and never trusted blindly.** The folder of entries belongs to the invoking account, mode 0700;
/// each entry belongs to the server account, mode 0700 (a root run's copy is then ready for `nobody` without a
/// `chown`, while `nobody` cannot even reach the entries, which sit in root's private folder). An entry is used
/// only when its copy matches the manifest written when it was built: the same key, only directories and regular
/// files (a symbolic link could point a run's data elsewhere), each with the recorded size and mode, none open
/// to group or others, all owned by the server account, and the configuration files and `pg_control` with the
/// recorded checksums. The copy is what is checked, so an entry changed while it is copied is caught too. A
/// rejected entry is replaced, and the reason is a note (`--verbose`).
///
/// **Atomic.** An entry is built inside the run's own private directory and renamed into place (across file
/// systems: copied to a `.building-…` folder beside it, then renamed), so a concurrent run sees no entry or a
/// whole one; when two runs build at once, the first rename wins and the other discards its own.
package struct PostgresClusterCache: Sendable {
    /// The folder holding the entries (`…/postgres-clusters`).
    package let directory: URL

    package init(directory: URL) {
        self.directory = directory
    }

    /// The folder under `REHEARSE_CACHE_DIR`, else `~/.cache/rehearse`; nil when `REHEARSE_NO_CLUSTER_CACHE` is
    /// set to anything but `0` or empty, or there is no home directory.
    package static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> PostgresClusterCache? {
        if let disabled = environment["REHEARSE_NO_CLUSTER_CACHE"], !disabled.isEmpty, disabled != "0" { return nil }
        let root: URL
        if let configured = environment["REHEARSE_CACHE_DIR"], !configured.isEmpty {
            root = URL(fileURLWithPath: configured, isDirectory: true)
        } else if let home = environment["HOME"], !home.isEmpty {
            root = URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".cache/rehearse", isDirectory: true)
        } else {
            return nil
        }
        return PostgresClusterCache(directory: root.appendingPathComponent("postgres-clusters", isDirectory: true))
    }

    /// What one entry is for; two runs share an entry only when their keys are equal.
    package struct Key: Sendable, Equatable {
        /// Every input, spelled out; stored in the manifest and compared whole.
        package let description: String
        /// The entry's folder name: `pg-<hash of the description>`.
        package var name: String { "pg-" + Self.hex(PristineManifest.checksum(Data(description.utf8))) }

        /// The key of `binaries` run with `initdbArguments` as `account` (nil: the invoking account); nil when the
        /// programs cannot be examined.
        package init?(binaries: PostgresBinaries, initdbArguments: [String], account: (uid: uid_t, gid: gid_t)) {
            var parts = ["rehearse-pristine-cluster 1"]
            for program in ["postgres", "initdb"] {
                guard let url = binaries.program(program) else { return nil }
                let real = url.resolvingSymlinksInPath().path
                var info = stat()
                guard stat(real, &info) == 0 else { return nil }
                parts.append("\(program) \(real) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino)")
            }
            parts.append("initdb " + initdbArguments.joined(separator: " "))
            parts.append("account \(account.uid):\(account.gid)")
            description = parts.joined(separator: "; ")
        }

        static func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
    }

    /// What ``restore(_:into:owner:)`` found.
    package enum Restore: Sendable, Equatable {
        /// The entry was copied and its copy checked.
        case restored
        /// There is no entry for the key.
        case missing
        /// There is an entry that must not be used, and why; nothing was left at the destination.
        case rejected(String)
    }

    /// The entry's data directory path, for messages and tests.
    package func entry(_ key: Key) -> URL {
        directory.appendingPathComponent(key.name, isDirectory: true)
    }

    /// Copies the entry for `key` to `destination` (which must not exist) and checks the copy against the entry's
    /// manifest; on rejection the copy is removed.
    package func restore(_ key: Key, into destination: URL, owner: uid_t) -> Restore {
        if let problem = folderProblem(creating: false) { return problem == Self.noFolder ? .missing : .rejected(problem) }
        let entry = entry(key)
        var info = stat()
        guard lstat(entry.path, &info) == 0 else { return .missing }
        if let problem = Self.privacyProblem(info, owner: owner, expected: S_IFDIR, mode: 0o700) { return .rejected("the entry \(problem)") }
        let manifestURL = entry.appendingPathComponent(PristineManifest.fileName)
        guard lstat(manifestURL.path, &info) == 0 else { return .rejected("the entry has no manifest") }
        if let problem = Self.privacyProblem(info, owner: owner, expected: S_IFREG, mode: 0o600) { return .rejected("its manifest \(problem)") }
        guard let text = try? String(contentsOf: manifestURL, encoding: .utf8), let manifest = PristineManifest(text) else {
            return .rejected("its manifest cannot be read")
        }
        guard manifest.key == key.description else { return .rejected("its manifest is for another key") }
        let data = entry.appendingPathComponent("data", isDirectory: true)
        if claimSpare(key, into: destination) {
            // Checked exactly like a copy, and used only while the entry itself still matches its manifest, so a
            // changed entry is found and rebuilt whether or not a spare was waiting. Otherwise the spare is dropped
            // and the entry copied, which finds what changed.
            let scan = { PristineManifest.scan($0, key: key.description, owner: owner) }
            if manifest.firstDifference(from: scan(destination)) == nil, manifest.firstDifference(from: scan(data)) == nil {
                return .restored
            }
            StaleRunReaper.removeTree(destination)
        }
        do {
            try Self.copyData(data, to: destination)
        } catch {
            StaleRunReaper.removeTree(destination)
            return .rejected("it cannot be copied: \(error)")
        }
        let copied = PristineManifest.scan(destination, key: key.description, owner: owner)
        if let difference = manifest.firstDifference(from: copied) {
            StaleRunReaper.removeTree(destination)
            return .rejected("its files differ from its manifest (\(difference))")
        }
        return .restored
    }

    /// Moves `built` (a folder holding `data/` and the manifest, owned by the server account, mode 0700) into the
    /// cache as the entry for `key`; when `replacing`, an entry already there is moved aside first. Returns why
    /// nothing was stored, or nil; a concurrent run that stored first is not a failure.
    package func store(_ built: URL, key: Key, replacing: Bool, shouldStop: @escaping @Sendable () -> Bool = { false }) -> String? {
        if let problem = folderProblem(creating: true) { return problem }
        removeAbandonedFolders()
        let target = entry(key)
        var source = built
        if rename(built.path, target.path) == 0 { return nil }
        if errno == EXDEV {
            // Another file system: copy beside the entry first, so the rename that publishes it stays atomic.
            source = directory.appendingPathComponent(".building-\(RunOwner.current.pid)-\(RunOwner.current.startTime)-\(UInt32.random(in: 0...UInt32.max))")
            do {
                try Self.copyData(built, to: source, shouldStop: shouldStop)
                if shouldStop() { throw EnvironmentError("the run was interrupted") }
            } catch {
                StaleRunReaper.removeTree(source)
                return "the new cluster could not be copied into \(directory.path): \(error)"
            }
            if rename(source.path, target.path) == 0 { return nil }
        }
        defer { if source != built { StaleRunReaper.removeTree(source) } }
        guard errno == EEXIST || errno == ENOTEMPTY else {
            return "the new cluster could not be moved into \(directory.path): \(String(cString: strerror(errno)))"
        }
        guard replacing else { return nil }
        let aside = directory.appendingPathComponent(".stale-\(UInt32.random(in: 0...UInt32.max))")
        if rename(target.path, aside.path) == 0 { StaleRunReaper.removeTree(aside) }
        guard rename(source.path, target.path) == 0 || errno == EEXIST || errno == ENOTEMPTY else {
            return "the rejected entry \(target.path) could not be replaced: \(String(cString: strerror(errno)))"
        }
        return nil
    }

    // MARK: - Checks

    static let noFolder = "there is no cache folder"

    /// Why the folder of entries must not be used (not ours, open to others, a symbolic link), or nil; creates it
    /// (mode 0700) when asked.
    func folderProblem(creating: Bool) -> String? {
        var info = stat()
        if lstat(directory.path, &info) != 0 {
            guard creating else { return Self.noFolder }
            try? FileManager.default.createDirectory(at: directory.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard mkdir(directory.path, 0o700) == 0 || errno == EEXIST, lstat(directory.path, &info) == 0 else {
                return "cannot create \(directory.path): \(String(cString: strerror(errno)))"
            }
        }
        if let problem = Self.privacyProblem(info, owner: geteuid(), expected: S_IFDIR, mode: 0o700) {
            return "the cache folder \(directory.path) \(problem)"
        }
        return nil
    }

    /// Why a file with `info` is not what an entry may hold, or nil.
    static func privacyProblem(_ info: stat, owner: uid_t, expected type: mode_t, mode: mode_t) -> String? {
        if info.st_mode & S_IFMT != type { return type == S_IFDIR ? "is not a directory" : "is not a regular file" }
        if info.st_uid != owner { return "is owned by uid \(info.st_uid), not \(owner)" }
        let actual = info.st_mode & 0o7777
        if actual != mode { return "has mode \(String(actual, radix: 8)), not \(String(mode, radix: 8))" }
        return nil
    }

    /// Removes `.building-…` folders of runs that died while copying, and `.stale-…` ones left half removed.
    private func removeAbandonedFolders() {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] {
            let url = directory.appendingPathComponent(name)
            if name.hasPrefix(".stale-") {
                StaleRunReaper.removeTree(url)
            } else if name.hasPrefix(".building-") {
                let fields = name.dropFirst(".building-".count).split(separator: "-")
                guard fields.count == 3, let owner = RunOwner("\(fields[0]) \(fields[1])"), !owner.isAlive else { continue }
                StaleRunReaper.removeTree(url)
            }
        }
    }

    /// A data directory copied with ``TreeCopy``, or with ``copyTree(_:to:)`` when that cannot copy it.
    ///
    /// - Throws: ``EnvironmentError`` with `cp`'s output.
    static func copyData(_ source: URL, to destination: URL, shouldStop: @escaping @Sendable () -> Bool = { false }) throws {
        do {
            try TreeCopy.copy(source, to: destination, shouldStop: shouldStop)
        } catch is TreeCopy.Unsupported {
            StaleRunReaper.removeTree(destination)
            try copyTree(source, to: destination)
        }
    }

    /// `cp -a` (a reflink where the file system has them), keeping owners and modes.
    ///
    /// - Throws: ``EnvironmentError`` with `cp`'s output.
    static func copyTree(_ source: URL, to destination: URL) throws {
        #if os(Linux)
        let arguments = ["-a", "--reflink=auto", source.path, destination.path]
        #else
        let arguments = ["-a", "-c", source.path, destination.path]
        #endif
        let command = ExternalCommand(executable: URL(fileURLWithPath: "/bin/cp"), arguments: arguments, timeout: 120)
        let outcome = try command.run()
        guard outcome.succeeded else {
            throw EnvironmentError("cp \(source.path) failed (exit status \(outcome.status)): \(outcome.output)")
        }
    }
}
