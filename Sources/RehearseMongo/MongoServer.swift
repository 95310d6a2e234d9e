import Foundation
import RehearseCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A disposable MongoDB server: `mongod` or nx-27017 on a free loopback port, its data in a fresh temporary
/// directory.
///
/// ``close()`` stops the server and removes the directory; it is safe to call twice, and it also runs on
/// SIGINT/SIGTERM/SIGHUP/SIGPIPE through ``CleanupRegistry`` and, as a safety net, in `deinit`. The server is
/// started with a clean signal mask in a process group of its own, watched by a ``ProcessWatchdog`` that stops
/// it and removes the directory if Rehearse dies without doing so (SIGKILL); the first server of a run removes
/// what killed runs left (``StaleRunReaper``).
public final class MongoServer: @unchecked Sendable {
    public let program: MongoServerProgram
    public let port: Int
    /// The temporary directory holding the data, the log and the pid file.
    public let directory: URL
    /// `mongodb://127.0.0.1:<port>/?directConnection=true`; there are no credentials.
    public var uri: String { "mongodb://127.0.0.1:\(port)/?directConnection=true" }

    private let process: ChildProcess
    private let watchdog: ProcessWatchdog
    private let logFile: URL
    private let lock = NSLock()
    private var closed = false
    private var cleanupToken: CleanupRegistry.Token?

    /// Finds a server program and starts it.
    ///
    /// - Throws: ``EnvironmentError`` when there is no server program (saying how to get one) or it would not start.
    public static func start(environment: [String: String] = ProcessInfo.processInfo.environment, timeout: TimeInterval = 60) throws -> MongoServer {
        guard let program = try MongoServerProgram.find(environment: environment) else {
            throw EnvironmentError(MongoServerProgram.installAdvice)
        }
        return try MongoServer(program: program, timeout: timeout)
    }

    /// Starts `program` and waits until it answers `ping`.
    ///
    /// A port taken between choosing it and the server binding it is retried on another port.
    ///
    /// - Throws: ``EnvironmentError`` with the tail of the server's output when it exits or does not answer in time.
    public convenience init(program: MongoServerProgram, timeout: TimeInterval = 60) throws {
        var lastError: Error = EnvironmentError("\(program.product.rawValue) did not start")
        for _ in 0..<3 {
            do {
                try self.init(program: program, port: try Self.freeLoopbackPort(), timeout: timeout)
                return
            } catch let failure as StartFailure {
                lastError = failure.error
                if !failure.portInUse { break }
            }
        }
        throw lastError
    }

    private struct StartFailure: Error {
        let error: EnvironmentError
        let portInUse: Bool
    }

    /// How a server is stopped when Rehearse is gone: SIGTERM, then SIGKILL to its group.
    static let stopSteps = [ProcessWatchdog.Step(signal: SIGTERM, grace: 5)]

    private init(program: MongoServerProgram, port: Int, timeout: TimeInterval) throws {
        StaleRunReaper.reapOnce(prefixes: ["rehearse-mongod-", "rehearse-nx-27017-", "rehearse-mongodump-"])
        self.program = program
        self.port = port
        let removeOnInterrupt: CleanupRegistry.Token
        do {
            (directory, removeOnInterrupt) = try TemporaryDirectory.make(in: NSTemporaryDirectory(), prefix: "rehearse-\(program.product.rawValue)-")
        } catch let error as EnvironmentError {
            throw StartFailure(error: error, portInUse: false)
        } catch {
            throw StartFailure(error: EnvironmentError("\(error)"), portInUse: false)
        }
        // Replaced by the server's own clean-up below; until then an interrupt removes the directory.
        defer { CleanupRegistry.shared.unregister(removeOnInterrupt) }
        let dataDirectory = directory.appendingPathComponent("data")
        logFile = directory.appendingPathComponent("output.log")
        do {
            try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
            watchdog = try ProcessWatchdog(directory: directory)
        } catch {
            StaleRunReaper.removeTree(directory)
            throw StartFailure(error: EnvironmentError("cannot prepare a temporary directory for \(program.product.rawValue): \(error)"), portInUse: false)
        }
        let command = ExternalCommand(
            executable: program.executable,
            arguments: Self.arguments(for: program.product, port: port, directory: directory, data: dataDirectory),
            currentDirectory: directory
        )
        let directoryURL = directory
        let log = logFile
        do {
            // Spawned and registered in one step: no interrupt can fall between.
            (process, cleanupToken) = try CleanupRegistry.shared.create({ try command.start(logFile: log) }, cleanup: { process in
                // The process is exiting: no time for a graceful shutdown, and the data is thrown away anyway.
                process.sendToGroup(SIGKILL)
                process.wait(timeout: 5)
                StaleRunReaper.removeTree(directoryURL)
            })
        } catch {
            watchdog.dismiss()
            StaleRunReaper.removeTree(directory)
            throw StartFailure(error: error as? EnvironmentError ?? EnvironmentError("\(error)"), portInUse: false)
        }
        watchdog.watch(pid: process.pid, steps: Self.stopSteps)

        do {
            try waitUntilReady(timeout: timeout)
        } catch let failure as StartFailure {
            close()
            throw failure
        }
    }

    deinit {
        close()
    }

    /// Stops the server (SIGTERM, then SIGKILL to its group after a grace period) and removes its directory.
    /// Safe to call twice.
    public func close() {
        lock.lock()
        guard !closed else {
            lock.unlock()
            return
        }
        closed = true
        let token = cleanupToken
        cleanupToken = nil
        lock.unlock()

        if process.isRunning {
            if program.product == .mongod {
                // A clean shutdown first; SIGTERM does the same when the command is refused.
                _ = try? MongoClient(uri: uri, serverSelectionTimeoutMS: 1000)
                    .runCommand(database: "admin", commandJSON: #"{"shutdown": 1, "force": true}"#)
                process.stop([ProcessWatchdog.Step(signal: SIGTERM, grace: 10)])
            } else {
                // nx-27017's SQLite files are thrown away with the directory: nothing to shut down cleanly.
                process.stop([])
            }
        }
        // Whatever the server started in its group goes with it.
        process.sendToGroup(SIGKILL)
        StaleRunReaper.removeTree(directory)
        watchdog.dismiss()
        if let token { CleanupRegistry.shared.unregister(token) }
    }

    /// Whether the server process is still running.
    public var isRunning: Bool { process.isRunning }

    /// The last lines the server wrote, for error messages.
    public func outputTail(lines: Int = 20) -> String {
        var text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        if program.product == .mongod, let log = try? String(contentsOf: directory.appendingPathComponent("mongod.log"), encoding: .utf8) {
            text += log
        }
        return text.split(separator: "\n", omittingEmptySubsequences: true).suffix(lines).joined(separator: "\n")
    }

    // MARK: - Starting

    private static func arguments(for product: MongoServerProgram.Product, port: Int, directory: URL, data: URL) -> [String] {
        switch product {
        case .mongod:
            return [
                "--dbpath", data.path, "--bind_ip", "127.0.0.1", "--port", String(port), "--quiet",
                "--logpath", directory.appendingPathComponent("mongod.log").path,
                "--unixSocketPrefix", directory.path,
                "--wiredTigerCacheSizeGB", "0.25",
                "--setParameter", "diagnosticDataCollectionEnabled=false",
            ]
        case .nx27017:
            // --data-dir keeps one SQLite file per logical database: with the default single file every database
            // shares one connection, which is not how scratch databases must behave. The log and pid files
            // default to fixed paths in /tmp, which parallel servers would fight over.
            return [
                "--data-dir", data.path, "--host", "127.0.0.1", "-p", String(port),
                "--log-file", directory.appendingPathComponent("nx-27017.log").path,
                "--pid-file", directory.appendingPathComponent("nx-27017.pid").path,
            ]
        }
    }

    private func waitUntilReady(timeout: TimeInterval) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var lastProblem = "no answer yet"
        while Date() < deadline {
            if !process.isRunning {
                let tail = outputTail()
                let portInUse = tail.localizedCaseInsensitiveContains("address already in use")
                    || tail.localizedCaseInsensitiveContains("Address in use")
                throw StartFailure(
                    error: EnvironmentError("\(program.product.rawValue) (\(program.executable.path)) exited with status \(process.terminationStatus ?? -1) before answering ping on 127.0.0.1:\(port). Its output ends with:\n\(tail)"),
                    portInUse: portInUse
                )
            }
            do {
                let client = try MongoClient(uri: uri, serverSelectionTimeoutMS: 500)
                _ = try client.runCommand(database: "admin", commandJSON: #"{"ping": 1}"#)
                return
            } catch {
                lastProblem = error.description
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw StartFailure(
            error: EnvironmentError("\(program.product.rawValue) (\(program.executable.path)) did not answer ping on 127.0.0.1:\(port) within \(Int(timeout))s (\(lastProblem)). Its output ends with:\n\(outputTail())"),
            portInUse: false
        )
    }

    /// A port that was free on 127.0.0.1 a moment ago: bind to port 0, read what the kernel chose, release it.
    static func freeLoopbackPort() throws -> Int {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw EnvironmentError("cannot open a socket to find a free port: \(String(cString: strerror(errno)))") }
        defer {
            #if canImport(Glibc)
            _ = Glibc.close(descriptor)
            #else
            _ = Darwin.close(descriptor)
            #endif
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { throw EnvironmentError("cannot bind a loopback socket to find a free port: \(String(cString: strerror(errno)))") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw EnvironmentError("cannot read the port of a loopback socket: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
