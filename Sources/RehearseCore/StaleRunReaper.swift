import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Removes what earlier, killed runs left behind, as Testcontainers' reaper does: the servers still running
/// in their temporary directories, and the directories.
///
/// Only directories named `rehearse-…` that hold an owner file (``RunOwner``) whose owner is dead are touched;
/// a directory of a live run, or one without an owner file, is never removed. A server is stopped only while
/// its command line names its directory, so a recycled pid is never signalled.
package enum StaleRunReaper {
    private static let lock = NSLock()
    private nonisolated(unsafe) static var reapedPrefixes: Set<String> = []

    /// Where Rehearse makes its temporary directories: `TMPDIR`, `/tmp` (the fallback when running as root), and where
    /// servers' directories go: `/dev/shm` (in memory) or `REHEARSE_SERVER_DIR`.
    package static var temporaryRoots: [URL] {
        var roots = [URL(fileURLWithPath: NSTemporaryDirectory()).standardizedFileURL]
        var candidates = ["/tmp", "/dev/shm"]
        if let configured = ProcessInfo.processInfo.environment["REHEARSE_SERVER_DIR"], !configured.isEmpty { candidates.append(configured) }
        for path in candidates {
            let root = URL(fileURLWithPath: path).standardizedFileURL
            if !roots.contains(where: { $0.path == root.path }), FileManager.default.fileExists(atPath: root.path) { roots.append(root) }
        }
        return roots
    }

    /// Reaps the stale directories whose names start with one of `prefixes`, once per process and prefix
    /// (the first server start of each kind calls this).
    ///
    /// - Parameter server: a hook for what only a database layer knows, called for each stale directory before
    ///   it is removed (PostgreSQL stops a postmaster found through `postmaster.pid` and frees its shared memory).
    package static func reapOnce(prefixes: [String], server: (URL) -> Void = { _ in }) {
        lock.lock()
        defer { lock.unlock() }
        let pending = prefixes.filter { !reapedPrefixes.contains($0) }
        guard !pending.isEmpty else { return }
        reapedPrefixes.formUnion(pending)
        reap(roots: temporaryRoots, prefixes: pending, server: server)
    }

    /// Reaps every stale directory under `roots` now; returns the directories removed.
    @discardableResult
    package static func reap(roots: [URL], prefixes: [String] = ["rehearse-"], server: (URL) -> Void = { _ in }) -> [URL] {
        var removed: [URL] = []
        for root in roots {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
            for name in names where prefixes.contains(where: name.hasPrefix) {
                let directory = root.appendingPathComponent(name, isDirectory: true)
                guard let owner = RunOwner.recorded(in: directory), owner != RunOwner.current, !owner.isAlive else { continue }
                stopRecordedServer(in: directory)
                server(directory)
                removeTree(directory)
                removed.append(directory)
            }
        }
        return removed
    }

    /// Stops the process named in the directory's ``ProcessWatchdog/serverFileName``, if it still runs there.
    package static func stopRecordedServer(in directory: URL) {
        guard let line = try? String(contentsOf: directory.appendingPathComponent(ProcessWatchdog.serverFileName), encoding: .utf8),
              let (pid, steps) = ProcessWatchdog.parse(line) else { return }
        stop(pid: pid, steps: steps, directory: directory)
    }

    /// Stops `pid` (not our child) with `steps`, then SIGKILL to its group, if its command line names `directory`.
    package static func stop(pid: pid_t, steps: [ProcessWatchdog.Step], directory: URL) {
        guard RunOwner.isRunning(pid) else { return }
        if let commandLine = RunOwner.commandLine(of: pid), !commandLine.contains(directory.path) { return }
        for step in steps where RunOwner.isRunning(pid) {
            kill(pid, step.signal)
            let deadline = Date().addingTimeInterval(TimeInterval(step.grace))
            while RunOwner.isRunning(pid), Date() < deadline { usleep(20_000) }
        }
        // Whatever is left of its process group goes too.
        if kill(-pid, SIGKILL) != 0, RunOwner.isRunning(pid) { kill(pid, SIGKILL) }
        let deadline = Date().addingTimeInterval(5)
        while RunOwner.isRunning(pid), Date() < deadline { usleep(20_000) }
    }

    /// Removes `directory`, retrying for a moment while a dying process may still write into it.
    package static func removeTree(_ directory: URL) {
        let deadline = Date().addingTimeInterval(3)
        while FileManager.default.fileExists(atPath: directory.path) {
            try? FileManager.default.removeItem(at: directory)
            guard Date() < deadline else { break }
            if FileManager.default.fileExists(atPath: directory.path) { usleep(20_000) }
        }
    }
}
