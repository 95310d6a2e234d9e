import Foundation

/// Where the console reporter writes: standard output in the CLI, a buffer in tests.
///
/// Like `TextOutputStream`, but a reference that several threads may share; the console reporter
/// serialises its own writes.
public protocol ConsoleOutput: AnyObject, Sendable {
    func write(_ text: String)
}

/// Standard output, flushed after every write so progress shows up while checks run.
public final class StandardOutput: ConsoleOutput {
    public init() {}

    /// A write error is ignored: when the reader went away (`rehearse verify … | head -1`), the SIGPIPE
    /// handler of the CLI stops the servers and ends the process; the old trapping write crashed first.
    public func write(_ text: String) {
        try? FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
    }

    /// Whether standard output is a terminal (and so may get colours).
    public static var isTerminal: Bool {
        isatty(STDOUT_FILENO) == 1
    }
}

/// Collects everything written, for tests and for callers that want the text.
public final class BufferedOutput: ConsoleOutput, @unchecked Sendable {
    // Guarded by `lock`.
    private var buffer = ""
    private let lock = NSLock()

    public init() {}

    public func write(_ text: String) {
        lock.withLock { buffer += text }
    }

    /// Everything written so far.
    public var text: String {
        lock.withLock { buffer }
    }
}
