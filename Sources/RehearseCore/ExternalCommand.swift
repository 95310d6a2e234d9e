import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run of an external program (`initdb`, `pg_ctl`, `pg_dump`, `mongodump`, a server, …) with its
/// combined output captured.
///
/// Output goes to a temporary file rather than a pipe, so a chatty program cannot block on a full pipe.
/// Never use ``run()`` for a program that leaves a daemon behind (`pg_ctl start`): Foundation on Linux learns
/// that a child ended when every inheritor of a descriptor has closed it, so it would wait for the daemon too.
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

    /// Runs the program to completion (or until the timeout, when it is killed).
    ///
    /// - Throws: ``EnvironmentError`` when the program cannot be started at all.
    package func run() throws -> Outcome {
        var template = Array((NSTemporaryDirectory() + "/rehearse-output.XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw EnvironmentError("cannot create a temporary file for the output of \(executable.lastPathComponent): \(String(cString: strerror(errno)))")
        }
        // Unlinked at once: the open descriptor keeps the file readable, and nothing is left on disk even
        // when an interrupt ends the process before this function returns.
        unlink(String(nulTerminated: template))
        let outputHandle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        defer { try? outputHandle.close() }

        let process = makeProcess(output: outputHandle)
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try launch(process)
        // An interrupt must not leave the tool running (initdb would keep writing into a directory being removed).
        let pid = process.processIdentifier
        let stopOnInterrupt = CleanupRegistry.shared.register { kill(pid, SIGKILL) }
        defer { CleanupRegistry.shared.unregister(stopOnInterrupt) }
        var timedOut = false
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
        }
        let output = (try? outputHandle.seek(toOffset: 0)).flatMap { try? outputHandle.readToEnd() }.map { String(decoding: $0, as: UTF8.self) } ?? ""
        return Outcome(status: process.terminationStatus, output: output.trimmingTrailingNewlines, timedOut: timedOut)
    }

    /// Starts the program and returns at once, its output appended to `logFile`; for a server that runs until stopped.
    ///
    /// - Throws: ``EnvironmentError`` when the log cannot be opened or the program cannot be started.
    package func start(logFile: URL) throws -> Process {
        if !FileManager.default.fileExists(atPath: logFile.path) {
            _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        }
        let log: FileHandle
        do {
            log = try FileHandle(forWritingTo: logFile)
            try log.seekToEnd()
        } catch {
            throw EnvironmentError("cannot open \(logFile.path): \(error.localizedDescription)")
        }
        defer { try? log.close() }
        let process = makeProcess(output: log)
        try launch(process)
        return process
    }

    /// The process, set up to read nothing and write stdout and stderr to `output`.
    private func makeProcess(output: FileHandle) -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment.filter { variable in
            !droppedVariablePrefixes.contains { variable.key.hasPrefix($0) }
        }
        variables.merge(environment) { _, new in new }
        process.environment = variables
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        return process
    }

    private func launch(_ process: Process) throws {
        do {
            try process.run()
        } catch {
            throw EnvironmentError("cannot run \(executable.path): \(error.localizedDescription)")
        }
    }

    /// `initdb -D … ` as a one-line summary for error messages.
    package var commandLine: String {
        ([executable.lastPathComponent] + arguments).joined(separator: " ")
    }
}
