import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny `sh` process that stops a disposable server and removes its directory when Rehearse dies without
/// doing so itself — even by SIGKILL, which no handler sees.
///
/// The watchdog reads a pipe whose only writer is Rehearse (close-on-exec, so no other child inherits it).
/// The kernel closes that pipe when Rehearse ends, however it ends; at end of file the watchdog stops the
/// process it was last told about (each given signal in turn, then SIGKILL to its process group) and removes
/// the directory. It ignores SIGINT, SIGTERM and SIGHUP and runs in a process group of its own, so a signal
/// meant for Rehearse's group does not kill it before it has done its work. `PR_SET_PDEATHSIG` would not do:
/// it fires when the spawning *thread* exits, which Dispatch and the concurrency pool do at will.
///
/// After a normal ``close`` the directory is gone already and the watchdog just exits.
package final class ProcessWatchdog: @unchecked Sendable {
    /// One step of stopping a server: send `signal`, then wait up to `grace` seconds for it to exit.
    package struct Step: Sendable, Equatable {
        package var signal: Int32
        package var grace: Int

        package init(signal: Int32, grace: Int) {
            self.signal = signal
            self.grace = grace
        }
    }

    /// The file in the watched directory that names the server and how to stop it, for ``StaleRunReaper``.
    package static let serverFileName = ".rehearse-server"

    package let directory: URL
    private let child: ChildProcess
    private let lock = NSLock()
    private var writeEnd: Int32

    /// Starts a watchdog for `directory`.
    ///
    /// - Throws: ``EnvironmentError`` when `/bin/sh` cannot be started.
    package init(directory: URL) throws {
        var descriptors: [Int32] = [-1, -1]
        // Close-on-exec at once; children spawned meanwhile by other threads close every descriptor above 2 anyway.
        let made = pipe(&descriptors)
        for descriptor in descriptors where descriptor >= 0 { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        guard made == 0 else {
            throw EnvironmentError("cannot create a pipe for the server watchdog: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptors[0]) }
        let command = ExternalCommand(
            executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: ["-c", Self.script, "rehearse-watchdog", directory.path],
            environment: ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "LC_ALL": "C"]
        )
        do {
            child = try command.start(input: descriptors[0])
        } catch {
            close(descriptors[1])
            throw error
        }
        self.directory = directory
        writeEnd = descriptors[1]
    }

    deinit {
        dismiss()
    }

    /// From now on, at Rehearse's death stop `pid` with `steps` (then SIGKILL to its group). Also recorded in
    /// the directory for a later run's reaper, in case the watchdog itself was killed.
    package func watch(pid: pid_t, steps: [Step]) {
        let line = ([String(pid)] + steps.flatMap { [Self.name(of: $0.signal), String($0.grace)] }).joined(separator: " ") + "\n"
        lock.withLock {
            guard writeEnd >= 0 else { return }
            // A watchdog that died already gives EPIPE here; the reaper of the next run is the fallback then.
            _ = line.withCString { write(writeEnd, $0, strlen($0)) }
        }
        let file = directory.appendingPathComponent(Self.serverFileName)
        _ = FileManager.default.createFile(atPath: file.path, contents: Data(line.utf8), attributes: [.posixPermissions: 0o644])
    }

    /// Lets the watchdog go: it finds the directory removed and exits. Safe to call twice.
    package func dismiss() {
        let descriptor = lock.withLock { () -> Int32 in
            defer { writeEnd = -1 }
            return writeEnd
        }
        guard descriptor >= 0 else { return }
        close(descriptor)
        if !child.wait(timeout: 30) { child.sendToGroup(SIGKILL) }
    }

    /// The process id of the watchdog (for tests that kill it).
    package var pid: pid_t { child.pid }

    /// The stop steps of a ``serverFileName`` line: `<pid> INT 10 QUIT 5`.
    package static func parse(_ line: String) -> (pid: pid_t, steps: [Step])? {
        let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let first = words.first, let pid = pid_t(first), pid > 0, words.count % 2 == 1 else { return nil }
        var steps: [Step] = []
        var index = 1
        while index + 1 < words.count {
            guard let signal = signalNumbers[words[index]], let grace = Int(words[index + 1]) else { return nil }
            steps.append(Step(signal: signal, grace: grace))
            index += 2
        }
        return (pid, steps)
    }

    private static let signalNumbers: [String: Int32] = ["INT": SIGINT, "TERM": SIGTERM, "QUIT": SIGQUIT, "KILL": SIGKILL, "HUP": SIGHUP]

    private static func name(of signal: Int32) -> String {
        signalNumbers.first { $0.value == signal }?.key ?? "KILL"
    }

    /// `$1` is the directory. A process is stopped only while its command line names the directory, so a
    /// recycled pid is never signalled.
    static let script = #"""
    dir=$1
    trap '' INT TERM HUP PIPE
    target=
    while read -r line; do target=$line; done
    alive() {
      kill -0 "$1" 2>/dev/null || return 1
      if [ -r "/proc/$1/stat" ]; then
        read -r stat < "/proc/$1/stat" || return 1
        rest=${stat##*") "}
        case ${rest%% *} in Z|X) return 1 ;; esac
      fi
      return 0
    }
    stop() {
      pid=$1; shift
      alive "$pid" || return 0
      if [ -r "/proc/$pid/cmdline" ]; then
        grep -qF -- "$dir" "/proc/$pid/cmdline" 2>/dev/null || return 0
      fi
      while [ $# -ge 2 ] && alive "$pid"; do
        kill -s "$1" "$pid" 2>/dev/null
        n=0
        while alive "$pid" && [ "$n" -lt $(( $2 * 20 )) ]; do sleep 0.05; n=$((n + 1)); done
        shift 2
      done
      # Whatever is left of its process group (the server itself when it ignored every signal) goes too.
      kill -s KILL -- "-$pid" 2>/dev/null || kill -s KILL "$pid" 2>/dev/null
    }
    if [ -d "$dir" ]; then
      [ -n "$target" ] && stop $target
      rm -rf -- "$dir"
    fi
    """#
}
