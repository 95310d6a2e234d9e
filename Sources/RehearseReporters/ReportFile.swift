import Foundation
import RehearseCore

/// Writes a report file atomically: a temporary file in the same folder, then `rename(2)` over the target,
/// so CI never reads half a report and a failed run never leaves a truncated one.
public enum ReportFile {
    /// Writes `contents` (UTF-8) to `url`.
    ///
    /// - Throws: ``EnvironmentError`` naming the file and what went wrong; the temporary file is removed.
    public static func write(_ contents: String, to url: URL, kind: String) throws {
        let target = url.standardizedFileURL
        let folder = target.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw EnvironmentError("cannot write the \(kind) report \(url.path): \(Self.reason(error))")
        }
        guard rename(temporary.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw EnvironmentError("cannot write the \(kind) report \(url.path): \(reason)")
        }
    }

    private static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue))
        }
        return nsError.localizedDescription
    }
}
