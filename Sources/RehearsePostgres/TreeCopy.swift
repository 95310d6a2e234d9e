import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Copies a pristine cluster's folder (plain files and folders only) keeping each entry's owner and mode, in a
/// few system calls per file and on two threads.
///
/// Restoring a cached cluster was `cp -a`: about fifteen system calls per file (extended attributes, timestamps,
/// a reflink attempt) for the thousand files of a data directory, the largest part of reaching a ready server.
/// PostgreSQL needs none of those, and ``PostgresClusterCache/restore(_:into:owner:)`` checks every copied entry's
/// type, owner, mode and size (and the checksums of the files that matter) against the cache's manifest anyway.
enum TreeCopy {
    /// Why a tree could not be copied this way; the caller falls back to `cp -a`.
    struct Unsupported: Error, CustomStringConvertible {
        var description: String
    }

    /// Copies `source` to `destination`, which must not exist; `shouldStop` is asked before each file.
    ///
    /// - Throws: ``Unsupported`` for an entry that is neither a plain file nor a folder, any failed call (naming
    ///   the path and the reason), or when `shouldStop` said so.
    static func copy(_ source: URL, to destination: URL, shouldStop: @Sendable () -> Bool = { false }) throws {
        var folders: [(relative: String, info: stat)] = []
        var files: [(relative: String, info: stat)] = []
        func visit(_ relative: String) throws {
            let path = relative.isEmpty ? source.path : source.path + "/" + relative
            var info = stat()
            guard lstat(path, &info) == 0 else { throw failure("lstat", path) }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                folders.append((relative, info))
                guard let entries = try? FileManager.default.contentsOfDirectory(atPath: path) else { throw failure("read the folder", path) }
                for name in entries { try visit(relative.isEmpty ? name : relative + "/" + name) }
            case S_IFREG:
                files.append((relative, info))
            default:
                throw Unsupported(description: "\(path) is neither a plain file nor a folder")
            }
        }
        try visit("")
        for folder in folders {
            let path = folder.relative.isEmpty ? destination.path : destination.path + "/" + folder.relative
            guard mkdir(path, 0o700) == 0 else { throw failure("mkdir", path) }
            guard chown(path, folder.info.st_uid, folder.info.st_gid) == 0, chmod(path, folder.info.st_mode & 0o7777) == 0 else {
                throw failure("set the owner and mode of", path)
            }
        }
        let problems = ProblemList()
        let lanes = 2
        let copies = files
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            for index in stride(from: lane, to: copies.count, by: lanes) {
                if shouldStop() {
                    problems.append(Unsupported(description: "the copy was stopped"))
                    return
                }
                let file = copies[index]
                if let problem = copyFile(source.path + "/" + file.relative, destination.path + "/" + file.relative, file.info) {
                    problems.append(problem)
                    return
                }
            }
        }
        if let problem = problems.first { throw problem }
    }

    /// One file: its bytes, owner and mode; nil when done.
    private static func copyFile(_ from: String, _ to: String, _ info: stat) -> Unsupported? {
        let input = open(from, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { return failure("open", from) }
        defer { close(input) }
        let output = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else { return failure("create", to) }
        defer { close(output) }
        var remaining = Int(info.st_size)
        while remaining > 0 {
            let copied = sendfile(output, input, nil, remaining)
            if copied < 0, errno == EINTR { continue }
            guard copied > 0 else { return failure("copy", from) }
            remaining -= copied
        }
        guard fchown(output, info.st_uid, info.st_gid) == 0, fchmod(output, info.st_mode & 0o7777) == 0 else {
            return failure("set the owner and mode of", to)
        }
        return nil
    }

    private static func failure(_ action: String, _ path: String) -> Unsupported {
        Unsupported(description: "cannot \(action) \(path): \(String(cString: strerror(errno)))")
    }

    /// Problems met on the copying threads.
    private final class ProblemList: @unchecked Sendable {
        private let lock = NSLock()
        private var problems: [Unsupported] = []

        func append(_ problem: Unsupported) {
            lock.withLock { problems.append(problem) }
        }

        var first: Unsupported? { lock.withLock { problems.first } }
    }
}
