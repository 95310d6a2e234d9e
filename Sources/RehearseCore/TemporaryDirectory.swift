import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A private directory under `TMPDIR` (mode 0700) for a dump or a tool's files, removed by ``remove()`` and also
/// when the process is interrupted, since an interrupt skips `defer` blocks on other threads. It records its owner
/// (``RunOwner``), so that a later run removes it when this process was killed (``StaleRunReaper``).
package final class TemporaryDirectory: @unchecked Sendable {
    package let url: URL
    private let token: CleanupRegistry.Token

    /// Creates `<TMPDIR>/<prefix>XXXXXX`.
    ///
    /// - Throws: ``EnvironmentError`` saying why the directory cannot be made.
    package init(prefix: String) throws {
        var template = Array((NSTemporaryDirectory() + "/" + prefix + "XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard made != nil else {
            throw EnvironmentError("cannot create a temporary directory in \(NSTemporaryDirectory()): \(String(cString: strerror(errno)))")
        }
        let url = URL(fileURLWithPath: String(nulTerminated: template), isDirectory: true)
        self.url = url
        try? RunOwner.current.record(in: url)
        token = CleanupRegistry.shared.register { try? FileManager.default.removeItem(at: url) }
    }

    deinit {
        remove()
    }

    /// Removes the directory and everything in it. Safe to call twice.
    package func remove() {
        try? FileManager.default.removeItem(at: url)
        CleanupRegistry.shared.unregister(token)
    }
}
