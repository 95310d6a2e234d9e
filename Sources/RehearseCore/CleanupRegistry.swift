import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private let ignoreSignal: @convention(c) (Int32) -> Void = { _ in }

/// Runs registered clean-up actions (stop a disposable server, remove its directory) when the
/// process receives SIGINT or SIGTERM, then exits with 128 + the signal number.
///
/// Servers register in `init` and unregister in `close()`; normal completion never depends on this.
public final class CleanupRegistry: @unchecked Sendable {
    public static let shared = CleanupRegistry()

    /// A registration; pass it back to ``unregister(_:)``.
    public struct Token: Hashable, Sendable {
        fileprivate let id: Int
    }

    private let lock = NSLock()
    private var actions: [Int: @Sendable () -> Void] = [:]
    private var nextID = 0
    private var sources: [DispatchSourceSignal] = []
    private var installed = false
    private var interrupted = false

    /// Whether SIGINT or SIGTERM arrived: the process is stopping its servers and will exit with 128 + the signal.
    ///
    /// Work that fails because its server was stopped should not be reported as a failed check.
    public var isInterrupted: Bool {
        lock.lock()
        defer { lock.unlock() }
        return interrupted
    }

    private init() {}

    /// Registers `action` to run if the process is interrupted; installs the signal handlers on first use.
    ///
    /// After an interrupt the action runs at once instead: a server started while the others are being stopped
    /// must not outlive the process.
    public func register(_ action: @escaping @Sendable () -> Void) -> Token {
        lock.lock()
        nextID += 1
        let token = Token(id: nextID)
        installHandlersLocked()
        guard !interrupted else {
            lock.unlock()
            action()
            return token
        }
        actions[token.id] = action
        lock.unlock()
        return token
    }

    public func unregister(_ token: Token) {
        lock.lock()
        actions[token.id] = nil
        lock.unlock()
    }

    /// Installs the SIGINT/SIGTERM handlers now rather than at the first registration, so that an interrupt
    /// arriving while a server is still starting is caught too.
    public func installHandlers() {
        lock.lock()
        defer { lock.unlock() }
        installHandlersLocked()
    }

    /// Runs every registered action once (newest first) and forgets them.
    public func runAll() {
        lock.lock()
        let pending = actions.sorted { $0.key > $1.key }.map(\.value)
        actions.removeAll()
        lock.unlock()
        for action in pending { action() }
    }

    private func installHandlersLocked() {
        guard !installed else { return }
        installed = true
        for signalNumber in [SIGINT, SIGTERM] {
            // A no-op handler rather than SIG_IGN: the dispatch source still fires, and unlike an ignored
            // signal a handled one is reset to the default in programs we exec (servers must still stop on SIGTERM).
            signal(signalNumber, ignoreSignal)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global(qos: .userInitiated))
            source.setEventHandler { [unowned self] in
                self.lock.lock()
                self.interrupted = true
                self.lock.unlock()
                FileHandle.standardError.write(Data("\nrehearse: interrupted, stopping disposable servers…\n".utf8))
                self.runAll()
                exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }
}

extension CleanupRegistry {
    /// After an interrupt, parks the caller so that the signal handler, not a normal return, ends the process
    /// (with 128 + the signal, once the servers are stopped). Returns at once when there was no interrupt.
    public func waitIfInterrupted() {
        while isInterrupted { sleep(60) }
    }
}
