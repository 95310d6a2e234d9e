import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A program Rehearse started with `posix_spawn`, in a process group of its own, with every signal at its
/// default disposition, an empty signal mask and no descriptors but its standard input, output and error.
///
/// Foundation's `Process` gives none of these guarantees: a child inherits ignored signals and blocked masks
/// (nx-27017 then never saw SIGTERM) and whatever descriptor a library left open without close-on-exec. The
/// process group lets a timeout or an interrupt kill a tool together with everything it started.
/// Only the owner reaps the process (`waitpid` on its pid, never on -1), so this coexists with Foundation.
package final class ChildProcess: @unchecked Sendable {
    /// The process id, which is also its process group id.
    package let pid: pid_t
    private let lock = NSLock()
    private var exitStatus: Int32?

    private init(pid: pid_t) {
        self.pid = pid
    }

    /// Starts `executable` with exactly `arguments` and `environment` (nothing inherited beyond them).
    ///
    /// - Parameters:
    ///   - input, output, error: descriptors that become 0, 1 and 2 in the child; they stay open here.
    /// - Throws: ``EnvironmentError`` naming the program when it cannot be started.
    package static func spawn(
        executable: URL, arguments: [String], environment: [String: String], currentDirectory: URL?,
        input: Int32, output: Int32, error: Int32
    ) throws -> ChildProcess {
        // Descriptors 0–2 of the child are made by dup2 from these; a source that is itself 0–2 would be
        // clobbered by an earlier dup2, so every source is first copied above 2.
        var sources: [Int32] = []
        defer { for descriptor in sources { close(descriptor) } }
        for descriptor in [input, output, error] {
            let copy = fcntl(descriptor, F_DUPFD_CLOEXEC, 3)
            guard copy >= 0 else {
                throw EnvironmentError("cannot run \(executable.path): \(String(cString: strerror(errno)))")
            }
            sources.append(copy)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (index, source) in sources.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, source, Int32(index))
        }
        try SpawnExtensions.closeDescriptors(from: 3, in: &actions)
        if let currentDirectory {
            try SpawnExtensions.changeDirectory(to: currentDirectory.path, in: &actions)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var everySignal = sigset_t()
        sigfillset(&everySignal)
        sigdelset(&everySignal, SIGKILL)
        sigdelset(&everySignal, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &everySignal)
        posix_spawnattr_setpgroup(&attributes, 0)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP)
        #if canImport(Darwin)
        flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
        #endif
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable.path, &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw EnvironmentError("cannot run \(executable.path): \(String(cString: strerror(status)))")
        }
        return ChildProcess(pid: pid)
    }

    /// Whether the process still runs; reaps it once it ended.
    package var isRunning: Bool {
        lock.withLock { pollLocked(blocking: false) == nil }
    }

    /// The exit status, or 128 + the signal that ended it; nil while it runs.
    package var terminationStatus: Int32? {
        lock.withLock { pollLocked(blocking: false) }
    }

    /// Waits until the process ends or `timeout` passes; returns whether it ended.
    @discardableResult
    package func wait(timeout: TimeInterval? = nil) -> Bool {
        guard let timeout else {
            lock.withLock { _ = pollLocked(blocking: true) }
            return true
        }
        let deadline = Date().addingTimeInterval(timeout)
        var pause: useconds_t = 1_000
        while true {
            if !isRunning { return true }
            if Date() >= deadline { return false }
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
    }

    /// Sends `signal` to the process alone, unless it has already been reaped (its pid may be reused).
    package func send(_ signal: Int32) {
        lock.withLock {
            if pollLocked(blocking: false) == nil { _ = kill(pid, signal) }
        }
    }

    /// Sends `signal` to the whole process group: the program and every descendant that stayed in its group.
    /// The group id cannot be reused while any member lives, so this is safe after the leader was reaped.
    package func sendToGroup(_ signal: Int32) {
        _ = kill(-pid, signal)
    }

    /// Stops the process: each signal in turn, waiting up to its grace period, then SIGKILL to the group.
    package func stop(_ sequence: [ProcessWatchdog.Step]) {
        for step in sequence {
            guard isRunning else { break }
            send(step.signal)
            if wait(timeout: TimeInterval(step.grace)) { break }
        }
        // Whatever is left of its process group (the program itself, if it outlasted every signal) goes too.
        sendToGroup(SIGKILL)
        wait(timeout: 10)
    }

    private func pollLocked(blocking: Bool) -> Int32? {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, blocking ? 0 : WNOHANG)
            if result == pid { break }
            if result == -1, errno == EINTR { continue }
            if result == -1 {
                // Reaped by someone else (it cannot be ours to wait for any more): treat it as gone.
                exitStatus = -1
                return exitStatus
            }
            return nil
        }
        let low = status & 0x7f
        exitStatus = low == 0 ? (status >> 8) & 0xff : 128 + low
        return exitStatus
    }
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34) and `addchdir_np` (2.29), which Swift's Glibc
/// module does not declare, looked up once at run time.
private enum SpawnExtensions {
    #if os(Linux)
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    private static let closeFrom: CloseFrom? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: CloseFrom.self) }
    private static let changeDirectory: ChangeDirectory? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np")
        .map { unsafeBitCast($0, to: ChangeDirectory.self) }
    #endif

    static func closeDescriptors(from lowest: Int32, in actions: inout posix_spawn_file_actions_t) throws {
        #if os(Linux)
        guard let closeFrom else {
            throw EnvironmentError("this C library lacks posix_spawn_file_actions_addclosefrom_np (glibc 2.34 or newer is needed)")
        }
        guard closeFrom(&actions, lowest) == 0 else {
            throw EnvironmentError("cannot prepare a child process: \(String(cString: strerror(errno)))")
        }
        #endif
    }

    static func changeDirectory(to path: String, in actions: inout posix_spawn_file_actions_t) throws {
        #if os(Linux)
        guard let changeDirectory else {
            throw EnvironmentError("this C library lacks posix_spawn_file_actions_addchdir_np (glibc 2.29 or newer is needed)")
        }
        guard changeDirectory(&actions, path) == 0 else {
            throw EnvironmentError("cannot prepare a child process: \(String(cString: strerror(errno)))")
        }
        #else
        guard posix_spawn_file_actions_addchdir_np(&actions, path) == 0 else {
            throw EnvironmentError("cannot prepare a child process: \(String(cString: strerror(errno)))")
        }
        #endif
    }
}
