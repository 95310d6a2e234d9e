import Foundation
import RehearseCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run of an external program (`initdb`, `pg_ctl`, `pg_dump`, …) with its combined output captured.
///
/// Output goes to a temporary file rather than a pipe, so a chatty program cannot block on a full pipe.
/// Never use ``run()`` for a program that leaves a daemon behind (`pg_ctl start`): Foundation on Linux learns
/// that a child ended when every inheritor of a descriptor has closed it, so it would wait for the daemon too.
struct ExternalCommand {
    struct Outcome {
        var status: Int32
        /// stdout and stderr, interleaved as written.
        var output: String
        var timedOut: Bool
        var succeeded: Bool { status == 0 && !timedOut }
    }

    var executable: URL
    var arguments: [String]
    /// Variables added to (or replacing those of) this process's environment; inherited `PG*` variables are
    /// dropped so that only what Rehearse chose reaches the tool.
    var environment: [String: String] = [:]
    var currentDirectory: URL?
    var timeout: TimeInterval = 120

    /// Runs the program to completion (or until the timeout, when it is killed).
    ///
    /// - Throws: ``EnvironmentError`` when the program cannot be started at all.
    func run() throws -> Outcome {
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

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = mergedEnvironment
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outputHandle
        process.standardError = outputHandle
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw EnvironmentError("cannot run \(executable.path): \(error.localizedDescription)")
        }
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
    func start(logFile: URL) throws -> Process {
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
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = mergedEnvironment
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        do {
            try process.run()
        } catch {
            throw EnvironmentError("cannot run \(executable.path): \(error.localizedDescription)")
        }
        return process
    }

    private var mergedEnvironment: [String: String] {
        var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        variables.merge(environment) { _, new in new }
        return variables
    }

    /// `initdb -D … ` as a one-line summary for error messages.
    var commandLine: String {
        ([executable.lastPathComponent] + arguments).joined(separator: " ")
    }
}
