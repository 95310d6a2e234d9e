import Foundation
import RehearseCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one exported function (`up` or `down`) of a migrate-mongo migration under Node.js, as migrate-mongo calls
/// it, with `db` and `client` from the shim; every database call comes back over the pipe to ``JavaScriptBridge``.
///
/// Node is killed when the function has not settled within `timeout` seconds, and when Rehearse is interrupted.
struct NodeRunner {
    let program: NodeProgram
    let shim: URL
    let timeout: TimeInterval

    /// How a run ended well.
    struct Outcome: Equatable {
        /// Database commands the function sent.
        var commands: Int
        /// Whether a `withTransaction` ran its callback without a transaction (the server has none).
        var ranWithoutTransaction: Bool
    }

    /// Runs `file.entry` of `file` on `database`.
    ///
    /// - Throws: ``ScriptFailure`` naming the migration file, with the line and column of the migration's own
    ///   frame in the error's stack, the MongoDB error code when a server error was not caught, and what the
    ///   migration printed; also for a timeout or a function that never settles. ``EnvironmentError`` when node
    ///   cannot be started.
    func run(_ file: ScriptFile, on database: MongoDatabase) throws -> Outcome {
        let entry = file.entry ?? "up"
        let output = try UnlinkedTemporaryFile(purpose: "node's output")
        let toNode = Pipe()
        let fromNode = Pipe()
        let process = Process()
        process.executableURL = program.executable
        process.arguments = [shim.appendingPathComponent("runner.js").path, file.url.path, entry, database.name]
        process.standardInput = toNode
        process.standardOutput = fromNode
        process.standardError = output.handle
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw EnvironmentError("cannot run \(program.executable.path): \(error.localizedDescription)")
        }
        let pid = process.processIdentifier
        let stopOnInterrupt = CleanupRegistry.shared.register { kill(pid, SIGKILL) }
        defer {
            CleanupRegistry.shared.unregister(stopOnInterrupt)
            if process.isRunning { kill(pid, SIGKILL) }
            finished.wait()
            try? toNode.fileHandleForWriting.close()
            try? fromNode.fileHandleForReading.close()
        }

        let channel = LineChannel(read: fromNode.fileHandleForReading.fileDescriptor, write: toNode.fileHandleForWriting.fileDescriptor)
        let bridge = JavaScriptBridge(database: database)
        let deadline = Date().addingTimeInterval(timeout)
        var ranWithoutTransaction = false
        while true {
            switch channel.readLine(until: deadline) {
            case let .line(text):
                let message: JSONValue
                do {
                    message = try ExtendedJSONScanner.parse(text, file: "the shim's message")
                } catch {
                    throw failure(file, "the JavaScript shim sent a message Rehearse cannot read: \(error.message)", output: output)
                }
                switch message["op"]?.stringValue {
                case "done":
                    return Outcome(commands: Int(message["commands"]?.integerValue ?? 0), ranWithoutTransaction: ranWithoutTransaction)
                case "failed":
                    throw failure(from: message, file: file, output: output)
                case "note":
                    if message["kind"]?.stringValue == "notAtomic" {
                        ranWithoutTransaction = true
                        database.engine.noteNotAtomic(file.displayPath)
                    }
                default:
                    if !channel.writeLine(bridge.reply(to: message)) {
                        throw failure(file, "node stopped while Rehearse was answering \(entry)()", output: output)
                    }
                }
            case .endOfFile:
                finished.wait()
                finished.signal()
                let status = process.terminationStatus
                throw failure(file, "node exited with status \(status) before \(entry)() settled", output: output)
            case .timedOut:
                kill(pid, SIGKILL)
                let seconds = timeout.rounded() == timeout ? "\(Int(timeout)) s" : String(format: "%.1f s", timeout)
                throw failure(file, "\(entry)() did not settle within \(seconds); node was stopped (statement timeout)", output: output)
            }
        }
    }

    // MARK: - Failures

    private func failure(_ file: ScriptFile, _ message: String, output: UnlinkedTemporaryFile) -> ScriptFailure {
        ScriptFailure(file: file.displayPath, message: message, detail: Self.printed(output.contents()))
    }

    /// The shim's `failed` report as a failure pointing at the migration's line.
    private func failure(from report: JSONValue, file: ScriptFile, output: UnlinkedTemporaryFile) -> ScriptFailure {
        let entry = file.entry ?? "up"
        var message = report["message"]?.stringValue ?? "failed"
        if let name = report["name"]?.stringValue, !name.isEmpty, name != "Error", !name.hasPrefix("Mongo") {
            message = "\(name): \(message)"
        }
        let location = report["location"]
        let inMigration = location?["inMigration"]?.boolValue == true
        var line: Int?
        var column: Int?
        if inMigration {
            line = location?["line"]?.integerValue.map(Int.init)
            column = location?["column"]?.integerValue.map(Int.init)
        } else if let elsewhere = location?["file"]?.stringValue, let where_ = location?["line"]?.integerValue {
            message += " (at \(Self.relative(elsewhere)):\(where_))"
        }
        let code = report["code"]?.integerValue.map { "MongoDB error \($0)" }
        let prefix: String
        switch report["kind"]?.stringValue {
        case "load": prefix = "loading the migration failed: "
        case "export", "unsettled": prefix = ""
        case "uncaught", "unhandled": prefix = "\(entry)(): unhandled error: "
        default: prefix = "\(entry)(): "
        }
        return ScriptFailure(file: file.displayPath, line: line, column: column, code: code, message: prefix + message, detail: Self.printed(output.contents()))
    }

    /// What the migration printed, the last 40 lines at most.
    static func printed(_ text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let trimmed = lines.reversed().drop { $0.isEmpty }.reversed()
        guard !trimmed.isEmpty else { return nil }
        let shown = trimmed.suffix(40)
        return (trimmed.count > 40 ? "… \(trimmed.count - 40) earlier lines\n" : "") + "node printed:\n" + shown.joined(separator: "\n")
    }

    private static func relative(_ path: String) -> String {
        let current = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(current) ? String(path.dropFirst(current.count)) : path
    }
}

/// A temporary file for a child's output that is unlinked at once, so nothing is left on disk whatever happens.
final class UnlinkedTemporaryFile {
    let handle: FileHandle

    init(purpose: String) throws {
        var template = Array((NSTemporaryDirectory() + "/rehearse-node.XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard descriptor >= 0 else {
            throw EnvironmentError("cannot create a temporary file for \(purpose): \(String(cString: strerror(errno)))")
        }
        template.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { _ = unlink(base) }
        }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    func contents() -> String {
        guard (try? handle.seek(toOffset: 0)) != nil, let data = try? handle.readToEnd() else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// One line at a time over a pair of pipe descriptors, with a deadline on reads.
final class LineChannel {
    enum Read: Equatable {
        case line(String)
        case endOfFile
        case timedOut
    }

    private let readDescriptor: Int32
    private let writeDescriptor: Int32
    private var buffer: [UInt8] = []

    init(read: Int32, write: Int32) {
        readDescriptor = read
        writeDescriptor = write
    }

    func readLine(until deadline: Date) -> Read {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            if let newline = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return .line(line)
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return .timedOut }
            var descriptor = pollfd(fd: readDescriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(remaining, 1) * 1000) + 1)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            let count = chunk.withUnsafeMutableBytes { read(readDescriptor, $0.baseAddress, $0.count) }
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            guard count > 0 else { return .endOfFile }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    /// Writes `text` and a newline; false when the reader has gone.
    ///
    /// SIGPIPE is blocked on this thread meanwhile, so that a node that died cannot end Rehearse.
    func writeLine(_ text: String) -> Bool {
        var bytes = Array(text.utf8)
        bytes.append(10)
        var blocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer {
            // Consume a SIGPIPE this write raised before unblocking, or it would be delivered now.
            var pending = sigset_t()
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1 {
                var zero = timespec(tv_sec: 0, tv_nsec: 0)
                _ = sigtimedwait(&blocked, nil, &zero)
            }
            pthread_sigmask(SIG_SETMASK, &previous, nil)
        }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                write(writeDescriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return false
            }
            offset += written
        }
        return true
    }
}
