import Foundation
import RehearseCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PostgresCluster {
    /// Removes what killed runs left: their postmasters (through `postmaster.pid`), their directories, the
    /// scratch directories of their dumps, and the System V shared memory segments of their servers.
    ///
    /// A segment is removed only when nothing is attached to it and the process that created it is dead: the
    /// one named in a stale `postmaster.pid`, and — when the server runs as a dedicated account (root runs) —
    /// any other such segment of that account.
    static func reapStaleRuns(account: ServerAccount?) {
        StaleRunReaper.reapOnce(prefixes: ["rehearse-pg-", "rehearse-dump-"]) { directory in
            let dataDirectory = directory.appendingPathComponent("data", isDirectory: true)
            let lines = postmasterFile(dataDirectory: dataDirectory)
            if let pid = lines.first.flatMap({ pid_t($0.trimmingCharacters(in: .whitespaces)) }) {
                StaleRunReaper.stop(pid: pid, steps: stopSteps, directory: directory)
            }
            // Line 7: "<key> <shmid>" of the postmaster's segment.
            if lines.count > 6, let shmid = lines[6].split(separator: " ").last.flatMap({ Int32($0) }) {
                SharedMemorySegment.all().first { $0.id == shmid }?.removeIfAbandoned()
            }
        }
        if let account {
            for segment in SharedMemorySegment.all() where segment.ownerUID == account.uid && segment.creatorUID == account.uid {
                segment.removeIfAbandoned()
            }
        }
    }

    /// The lines of `postmaster.pid` (pid, data directory, start time, port, socket directory, listen address,
    /// shared memory key and id, status); empty when there is none.
    static func postmasterFile(dataDirectory: URL) -> [String] {
        guard let text = try? String(contentsOf: dataDirectory.appendingPathComponent("postmaster.pid"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The first line of `postmaster.pid`.
    static func postmasterPID(dataDirectory: URL) -> pid_t? {
        postmasterFile(dataDirectory: dataDirectory).first.flatMap { pid_t($0.trimmingCharacters(in: .whitespaces)) }
    }
}

/// One System V shared memory segment, as `/proc/sysvipc/shm` lists it.
struct SharedMemorySegment: Sendable, Equatable {
    let id: Int32
    let creatorPID: pid_t
    let attachments: Int
    let ownerUID: uid_t
    let creatorUID: uid_t

    /// Every segment on the machine (Linux only; empty elsewhere).
    static func all() -> [SharedMemorySegment] {
        guard let bytes = RunOwner.readSystemFile("/proc/sysvipc/shm") else { return [] }
        let text = String(decoding: bytes, as: UTF8.self)
        // key shmid perms size cpid lpid nattch uid gid cuid cgid …
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count >= 11, let id = Int32(fields[1]), let cpid = pid_t(fields[4]), let nattch = Int(fields[6]),
                  let uid = uid_t(fields[7]), let cuid = uid_t(fields[9]) else { return nil }
            return SharedMemorySegment(id: id, creatorPID: cpid, attachments: nattch, ownerUID: uid, creatorUID: cuid)
        }
    }

    /// Removes the segment when no process is attached and its creator is dead.
    func removeIfAbandoned() {
        guard attachments == 0, !RunOwner.isRunning(creatorPID) else { return }
        _ = shmctl(id, IPC_RMID, nil)
    }
}
