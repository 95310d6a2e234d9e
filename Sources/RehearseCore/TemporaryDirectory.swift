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
        (url, token) = try Self.make(in: NSTemporaryDirectory(), prefix: prefix)
    }

    /// Creates `<base>/<prefix>XXXXXX` (mode 0700) with its owner recorded, and registers its removal on an
    /// interrupt in the same step (``CleanupRegistry/create(_:cleanup:)``), so no interrupt leaves it behind.
    ///
    /// - Throws: ``EnvironmentError`` saying why the directory cannot be made.
    package static func make(in base: String, prefix: String) throws -> (URL, CleanupRegistry.Token) {
        try CleanupRegistry.shared.create({
            var template = Array(((base.hasSuffix("/") ? base : base + "/") + prefix + "XXXXXX").utf8CString)
            let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
            guard made != nil else {
                throw EnvironmentError("cannot create a temporary directory in \(base): \(String(cString: strerror(errno)))")
            }
            let url = URL(fileURLWithPath: String(nulTerminated: template), isDirectory: true).standardizedFileURL
            do {
                try RunOwner.current.record(in: url)
            } catch {
                try? FileManager.default.removeItem(at: url)
                throw error
            }
            return url
        }, cleanup: { StaleRunReaper.removeTree($0) })
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
