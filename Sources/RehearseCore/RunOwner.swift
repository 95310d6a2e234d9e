import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which Rehearse process a leftover belongs to: its pid and its start time (from `/proc/<pid>/stat`), so a
/// recycled pid is not mistaken for a live owner.
///
/// Every temporary directory and every scratch-database record carries the owner's identity; a later run
/// removes what belongs to an owner that is no longer alive (``StaleRunReaper``).
package struct RunOwner: Sendable, Equatable, CustomStringConvertible {
    package let pid: pid_t
    /// Clock ticks since boot at which the process started; 0 where the system does not say.
    package let startTime: UInt64

    package init(pid: pid_t, startTime: UInt64) {
        self.pid = pid
        self.startTime = startTime
    }

    /// This process.
    package static let current = RunOwner(pid: getpid(), startTime: startTime(of: getpid()) ?? 0)

    /// The name of the owner file inside a temporary directory.
    package static let fileName = ".rehearse-owner"

    /// `<pid> <start time>`, the owner file's contents.
    package var description: String { "\(pid) \(startTime)" }

    /// Parses ``description``.
    package init?(_ text: some StringProtocol) {
        let words = text.split(whereSeparator: \.isWhitespace)
        guard words.count == 2, let pid = pid_t(words[0]), pid > 0, let start = UInt64(words[1]) else { return nil }
        self.init(pid: pid, startTime: start)
    }

    /// Whether the owner still runs: the pid exists and, where `/proc` tells, started at the same time.
    /// A zombie (killed, not yet reaped by a parent that may never do it) is dead.
    package var isAlive: Bool {
        guard Self.isRunning(pid) else { return false }
        guard let now = Self.startTime(of: pid) else { return true }
        return startTime == 0 || now == startTime
    }

    /// Writes the owner file into `directory` (readable by everyone, so the reaper of another user can tell).
    package func record(in directory: URL) throws {
        let path = directory.appendingPathComponent(Self.fileName).path
        guard FileManager.default.createFile(atPath: path, contents: Data((description + "\n").utf8), attributes: [.posixPermissions: 0o644]) else {
            throw EnvironmentError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// The owner recorded in `directory`, or nil when there is none (yet).
    package static func recorded(in directory: URL) -> RunOwner? {
        (try? String(contentsOf: directory.appendingPathComponent(fileName), encoding: .utf8)).flatMap { RunOwner($0) }
    }

    /// Field 22 of `/proc/<pid>/stat` (after the parenthesised command name, which may hold spaces).
    package static func startTime(of pid: pid_t) -> UInt64? {
        #if os(Linux)
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state), so field 22 is fields[19].
        guard fields.count > 19 else { return nil }
        return UInt64(fields[19])
        #else
        return nil
        #endif
    }

    /// True while `pid` names a live process that is not a zombie waiting for its parent.
    package static func isRunning(_ pid: pid_t) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        #if os(Linux)
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") {
            let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
            return state != "Z" && state != "X"
        }
        #endif
        return true
    }

    /// The command line of `pid`, arguments joined by spaces; nil where it cannot be read.
    package static func commandLine(of pid: pid_t) -> String? {
        #if os(Linux)
        guard let bytes = readSystemFile("/proc/\(pid)/cmdline") else { return nil }
        return String(decoding: bytes.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
        #else
        return nil
        #endif
    }

    /// All of a `/proc` file. Foundation stops after the first page of such files, which report a size of 0,
    /// so `/proc/sysvipc/shm` on a busy machine would look shorter than it is.
    package static func readSystemFile(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[..<count]
        }
        return bytes
    }
}
