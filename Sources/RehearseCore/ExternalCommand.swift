import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run of an external program (`initdb`, `pg_dump`, `mongodump`, a server, …) with its combined output
/// captured.
///
/// Started through ``ChildProcess`` (`posix_spawn`, not Foundation's `Process`): a clean signal mask and
/// default dispositions, no inherited descriptors, its own process group. A timeout or an interrupt kills the
/// whole group, so a tool's grandchild cannot outlive it. Output goes to a temporary file rather than a pipe,
/// so a chatty program cannot block on a full pipe and a descendant holding the descriptor cannot keep the
/// caller waiting.
package struct ExternalCommand: Sendable {
    package struct Outcome: Sendable {
        package var status: Int32
        /// stdout and stderr, interleaved as written.
        package var output: String
        package var timedOut: Bool
        package var succeeded: Bool { status == 0 && !timedOut }
    }

    package var executable: URL
    package var arguments: [String]
    /// Variables added to (or replacing those of) this process's environment.
    package var environment: [String: String] = [:]
    /// Inherited variables with these prefixes are dropped (`PG` for PostgreSQL's tools), so that only what
    /// Rehearse chose reaches the tool.
    package var droppedVariablePrefixes: [String] = []
    package var currentDirectory: URL?
    package var timeout: TimeInterval = 120
    /// A file the program reads as its standard input (`postgres --single` reads its commands there); nil: `/dev/null`.
    package var standardInput: URL?

    package init(
        executable: URL, arguments: [String], environment: [String: String] = [:], droppedVariablePrefixes: [String] = [],
        currentDirectory: URL? = nil, timeout: TimeInterval = 120
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.droppedVariablePrefixes = droppedVariablePrefixes
        self.currentDirectory = currentDirectory
        self.timeout = timeout
    }

    /// Runs the program to completion, or until the timeout, when its process group is killed. Whatever the
    /// program left running in its group when it exited is killed too.
    ///
    /// - Parameter started: called with the process id as soon as the program runs (to tell a watchdog).
    /// - Throws: ``EnvironmentError`` when the program cannot be started at all.
    package func run(started: (pid_t) -> Void = { _ in }) throws -> Outcome {
        var template = Array((NSTemporaryDirectory() + "/rehearse-output.XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { mkstemp($0) } ?? -1
        }
        guard descriptor >= 0 else {
            throw EnvironmentError("cannot create a temporary file for the output of \(executable.lastPathComponent): \(String(cString: strerror(errno)))")
        }
        // Unlinked at once: the open descriptor keeps the file readable, and nothing is left on disk even
        // when an interrupt ends the process before this function returns.
        unlink(String(nulTerminated: template))
        let outputHandle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        defer { try? outputHandle.close() }

        // An interrupt must not leave the tool running (initdb would keep writing into a directory being removed);
        // spawned and registered in one step, so no interrupt falls between.
        let (child, stopOnInterrupt) = try CleanupRegistry.shared.create({ try spawn(output: descriptor) }, cleanup: { $0.sendToGroup(SIGKILL) })
        defer { CleanupRegistry.shared.unregister(stopOnInterrupt) }
        started(child.pid)
        var timedOut = false
        if !child.wait(timeout: timeout > 0 ? timeout : nil) {
            timedOut = true
            child.sendToGroup(SIGKILL)
            child.wait()
        }
        // A daemon or a stray background job of the tool must not outlive it either.
        child.sendToGroup(SIGKILL)
        let output = (try? outputHandle.seek(toOffset: 0)).flatMap { try? outputHandle.readToEnd() }.map { String(decoding: $0, as: UTF8.self) } ?? ""
        return Outcome(status: child.terminationStatus ?? -1, output: output.trimmingTrailingNewlines, timedOut: timedOut)
    }

    /// Starts the program and returns at once, its output appended to `logFile`; for a server that runs until stopped.
    ///
    /// - Throws: ``EnvironmentError`` when the log cannot be opened or the program cannot be started.
    package func start(logFile: URL) throws -> ChildProcess {
        let log = open(logFile.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard log >= 0 else {
            throw EnvironmentError("cannot open \(logFile.path): \(String(cString: strerror(errno)))")
        }
        defer { close(log) }
        return try spawn(output: log)
    }

    /// Starts the program with `input` as its standard input and no output (for a watchdog reading a pipe).
    package func start(input: Int32) throws -> ChildProcess {
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        guard null >= 0 else { throw EnvironmentError("cannot open /dev/null: \(String(cString: strerror(errno)))") }
        defer { close(null) }
        return try ChildProcess.spawn(
            executable: executable, arguments: arguments, environment: mergedEnvironment, currentDirectory: currentDirectory,
            input: input, output: null, error: null
        )
    }

    /// Spawns the program reading ``standardInput`` (else nothing) and writing stdout and stderr to `output`.
    private func spawn(output: Int32) throws -> ChildProcess {
        let inputPath = standardInput?.path ?? "/dev/null"
        let input = open(inputPath, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw EnvironmentError("cannot open \(inputPath): \(String(cString: strerror(errno)))") }
        defer { close(input) }
        return try ChildProcess.spawn(
            executable: executable, arguments: arguments, environment: mergedEnvironment, currentDirectory: currentDirectory,
            input: input, output: output, error: output
        )
    }

    /// This process's environment without the dropped prefixes, with ``environment`` on top.
    private var mergedEnvironment: [String: String] {
        var variables = ProcessInfo.processInfo.environment.filter { variable in
            !droppedVariablePrefixes.contains { variable.key.hasPrefix($0) }
        }
        variables.merge(environment) { _, new in new }
        return variables
    }

    /// `initdb -D … ` as a one-line summary for error messages.
    package var commandLine: String {
        ([executable.lastPathComponent] + arguments).joined(separator: " ")
    }
}
