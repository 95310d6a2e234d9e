import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The write end of the pipe the signal handler reports to; -1 until ``CleanupRegistry/installHandlers(terminate:)``.
private nonisolated(unsafe) var signalPipeWriteEnd: Int32 = -1

/// Async-signal-safe: it only writes the signal number to the pipe, which a dedicated thread reads.
private let forwardSignal: @convention(c) (Int32) -> Void = { signalNumber in
    var byte = UInt8(truncatingIfNeeded: signalNumber)
    _ = write(signalPipeWriteEnd, &byte, 1)
}

/// Clean-up actions (stop a disposable server, remove its directory, drop scratch databases) to run when the
/// process is told to stop: SIGINT, SIGTERM, SIGHUP, or SIGPIPE from a closed standard output
/// (`rehearse verify … | head -1`).
///
/// Servers register in `init` and unregister in `close()`; normal completion never depends on this. The library
/// only registers actions: installing the signal handlers, and choosing how the process then ends, is the
/// executable's call (``installHandlers(terminate:)``), as a library must not take over the process.
public final class CleanupRegistry: @unchecked Sendable {
    public static let shared = CleanupRegistry()

    /// The signals that stop a run.
    public static let stoppingSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGPIPE]

    /// A registration; pass it back to ``unregister(_:)``.
    public struct Token: Hashable, Sendable {
        fileprivate let id: Int
    }

    private let lock = NSLock()
    private var actions: [Int: @Sendable () -> Void] = [:]
    private var nextID = 0
    private var installed = false
    private var interrupted = false

    /// Whether a stopping signal arrived: the process is stopping its servers and will then end.
    ///
    /// Work that fails because its server was stopped should not be reported as a failed check.
    public var isInterrupted: Bool {
        lock.withLock { interrupted }
    }

    private init() {}

    /// Registers `action` to run if the process is interrupted.
    ///
    /// After an interrupt the action runs at once instead: a server started while the others are being stopped
    /// must not outlive the process.
    public func register(_ action: @escaping @Sendable () -> Void) -> Token {
        lock.lock()
        nextID += 1
        let token = Token(id: nextID)
        guard !interrupted else {
            lock.unlock()
            action()
            return token
        }
        actions[token.id] = action
        lock.unlock()
        return token
    }

    /// Creates something that needs cleaning up (a directory, a child process) and registers its clean-up in one
    /// step, so that no interrupt can fall between the two: the signal handler's ``runAll()`` either sees the
    /// registration or runs before `make`, which then is not called.
    ///
    /// `make` runs while the registry is locked: it must be short and must not register anything itself.
    ///
    /// - Throws: ``EnvironmentError`` when the process is already being interrupted; whatever `make` throws.
    package func create<Value: Sendable>(_ make: () throws -> Value, cleanup: @escaping @Sendable (Value) -> Void) throws -> (Value, Token) {
        lock.lock()
        defer { lock.unlock() }
        guard !interrupted else { throw EnvironmentError("interrupted: Rehearse is stopping") }
        let value = try make()
        nextID += 1
        let token = Token(id: nextID)
        actions[token.id] = { cleanup(value) }
        return (value, token)
    }

    public func unregister(_ token: Token) {
        lock.withLock { actions[token.id] = nil }
    }

    /// Runs every registered action once (newest first) and forgets them.
    public func runAll() {
        lock.lock()
        let pending = actions.sorted { $0.key > $1.key }.map(\.value)
        actions.removeAll()
        lock.unlock()
        for action in pending { action() }
    }

    /// Marks the process as interrupted and runs every action, as a stopping signal does.
    public func interrupt() {
        lock.withLock { interrupted = true }
        runAll()
    }

    /// Installs handlers for ``stoppingSignals``: on the first one, every registered action runs, then
    /// `terminate` is called with the signal number (the CLI exits with 128 + it). For the executable only.
    ///
    /// SIGPIPE counts only when standard output or standard error is really closed; a SIGPIPE from some other
    /// descriptor is left to the write that failed. Signals arriving while the actions run are ignored.
    public func installHandlers(terminate: @escaping @Sendable (Int32) -> Never) {
        lock.lock()
        defer { lock.unlock() }
        guard !installed else { return }
        installed = true
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else { return }
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        _ = fcntl(descriptors[1], F_SETFL, O_NONBLOCK)
        signalPipeWriteEnd = descriptors[1]
        let readEnd = descriptors[0]
        let thread = Thread { [unowned self] in
            while true {
                var byte: UInt8 = 0
                let count = read(readEnd, &byte, 1)
                if count < 0, errno == EINTR { continue }
                guard count == 1 else { return }
                let signalNumber = Int32(byte)
                if signalNumber == SIGPIPE, !Self.isStandardOutputClosed() { continue }
                let first = self.lock.withLock { () -> Bool in
                    defer { self.interrupted = true }
                    return !self.interrupted
                }
                guard first else { continue }
                let message = signalNumber == SIGPIPE
                    ? "\nrehearse: output closed, stopping disposable servers…\n"
                    : "\nrehearse: interrupted, stopping disposable servers…\n"
                _ = message.withCString { write(2, $0, strlen($0)) }
                self.runAll()
                terminate(signalNumber)
            }
        }
        thread.name = "rehearse-signals"
        thread.start()
        for signalNumber in Self.stoppingSignals {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = forwardSignal
            #else
            action.__sigaction_u.__sa_handler = forwardSignal
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(signalNumber, &action, nil)
        }
    }

    /// Whether the reader of standard output (or error) has gone: a pipe whose other end is closed polls as
    /// an error.
    private static func isStandardOutputClosed() -> Bool {
        var descriptors = [pollfd(fd: 1, events: 0, revents: 0), pollfd(fd: 2, events: 0, revents: 0)]
        guard poll(&descriptors, 2, 0) > 0 else { return false }
        return descriptors.contains { $0.revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 }
    }
}

extension CleanupRegistry {
    /// After an interrupt, parks the caller so that the signal handler, not a normal return, ends the process
    /// (once the servers are stopped). Returns at once when there was no interrupt.
    public func waitIfInterrupted() {
        while isInterrupted { sleep(60) }
    }
}
