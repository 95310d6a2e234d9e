import Foundation
import RehearseCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a disposable cluster's `rehearse-pg-XXXXXX` directory is made.
///
/// A throwaway server's files are rewritten all the time: every table a step creates and rolls back is a few files
/// made and unlinked, every `CREATE DATABASE … TEMPLATE` a few hundred, `initdb` a thousand. On a disk file system
/// that is most of the time such a server spends outside its queries (on this project's CI machine `initdb` takes
/// 1.3 s on ext4 and 0.6 s on tmpfs, copying a cached cluster 0.66 s against 0.07 s). So on Linux the directory
/// goes to `/dev/shm`, the RAM-backed tmpfs every distribution mounts, when it is a world-writable, sticky tmpfs
/// with at least ``minimumFree`` free, as a container's small default `/dev/shm` is not. Otherwise it goes where
/// temporary files go (`TMPDIR`, or `/tmp` when the server account cannot reach `TMPDIR`).
///
/// `REHEARSE_SERVER_DIR` names the base instead (a disk for a run whose data would not fit in memory); it must be
/// an existing directory.
enum ServerDirectoryBase {
    /// The free space `/dev/shm` must have: a rehearsal's databases are rarely more than a few hundred megabytes.
    static let minimumFree: UInt64 = 2 << 30

    /// The base for a cluster's directory, reachable by the server account when there is one.
    ///
    /// - Throws: ``EnvironmentError`` when `REHEARSE_SERVER_DIR` is set to something that is not a directory.
    static func choose(environment: [String: String] = ProcessInfo.processInfo.environment, serverAccount: ServerAccount?) throws -> String {
        if let configured = environment["REHEARSE_SERVER_DIR"], !configured.isEmpty {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: configured, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw EnvironmentError("REHEARSE_SERVER_DIR=\(configured) is not a directory; create it or unset the variable")
            }
            return configured
        }
        if let memory = inMemory { return memory }
        let preferred = NSTemporaryDirectory()
        return serverAccount == nil || isTraversableByOthers(preferred) ? preferred : "/tmp"
    }

    /// `/dev/shm` when it is a usable tmpfs, else nil.
    static var inMemory: String? {
        #if os(Linux)
        let path = "/dev/shm"
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_mode & 0o1777 == 0o1777 else { return nil }
        guard isTmpfs(path, mounts: (try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)) ?? "") else { return nil }
        var space = statvfs()
        guard statvfs(path, &space) == 0, UInt64(space.f_bavail) * UInt64(space.f_frsize) >= minimumFree else { return nil }
        return path
        #else
        return nil
        #endif
    }

    /// Whether `mounts` (as `/proc/self/mounts` lists them: device, mount point, type, …) mounts a tmpfs at `path`,
    /// the last mount there counting.
    static func isTmpfs(_ path: String, mounts: String) -> Bool {
        var found = false
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3, fields[1] == path else { continue }
            found = fields[2] == "tmpfs"
        }
        return found
    }

    /// Whether every directory on `path` lets other users pass through (`o+x`), as the server account must.
    static func isTraversableByOthers(_ path: String) -> Bool {
        var current = URL(fileURLWithPath: path).standardizedFileURL
        while true {
            var info = stat()
            guard stat(current.path, &info) == 0, info.st_mode & S_IXOTH != 0 else { return false }
            if current.path == "/" { return true }
            current.deleteLastPathComponent()
        }
    }

    /// Whether `one` and `other` are on the same file system, so that `rename(2)` moves between them; a path that
    /// does not exist yet counts as on the file system of its nearest existing folder.
    static func sameFileSystem(_ one: URL, _ other: URL) -> Bool {
        func device(_ url: URL) -> dev_t? {
            var current = url.standardizedFileURL
            var info = stat()
            while stat(current.path, &info) != 0 {
                guard current.path != "/" else { return nil }
                current.deleteLastPathComponent()
            }
            return info.st_dev
        }
        guard let first = device(one), let second = device(other) else { return false }
        return first == second
    }
}
