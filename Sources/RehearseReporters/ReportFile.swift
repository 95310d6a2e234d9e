import Foundation
import RehearseCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a report file atomically: a temporary file in the same folder, then `rename(2)` over the target,
/// so CI never reads half a report and a failed run never leaves a truncated one.
///
/// Only a regular file (or nothing) is ever replaced: a path that is a device, a FIFO, a socket or a directory
/// is an environment error, so `--junit /dev/null` run as root cannot replace `/dev/null`. A symbolic link is
/// followed: its target is written, and the link stays.
public enum ReportFile {
    /// Writes `contents` (UTF-8) to `url`.
    ///
    /// - Throws: ``EnvironmentError`` naming the file and what went wrong; the temporary file is removed.
    public static func write(_ contents: String, to url: URL, kind: String) throws {
        let target = ReportPath.resolved(url.path)
        var info = stat()
        if stat(target.path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            throw EnvironmentError("cannot write the \(kind) report \(url.path): it is \(ReportPath.describe(mode: info.st_mode)), not a regular file; it was left alone")
        }
        let folder = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw EnvironmentError("cannot write the \(kind) report \(url.path): \(Self.reason(error))")
        }
        let temporary = folder.appendingPathComponent(".\(target.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw EnvironmentError("cannot write the \(kind) report \(url.path): \(String(cString: strerror(errno)))")
        }
        let bytes = Array(contents.utf8)
        var written = 0
        var failure: Int32 = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                failure = errno
                break
            }
            written += count
        }
        if close(descriptor) != 0, failure == 0 { failure = errno }
        guard failure == 0 else {
            unlink(temporary.path)
            throw EnvironmentError("cannot write the \(kind) report \(url.path): \(String(cString: strerror(failure)))")
        }
        guard rename(temporary.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw EnvironmentError("cannot write the \(kind) report \(url.path): \(reason)")
        }
    }

    private static func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
        #else
        Darwin.write(descriptor, bytes, count)
        #endif
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue))
        }
        return nsError.localizedDescription
    }
}

/// Where a report path really leads, for writing it and for telling two options apart.
public enum ReportPath {
    /// The absolute path `path` names once every symbolic link in it (the last component included, even a
    /// dangling one) is followed.
    public static func resolved(_ path: String) -> URL {
        var current = URL(fileURLWithPath: path).standardizedFileURL
        for _ in 0..<40 {
            let folder = current.deletingLastPathComponent()
            let realFolder = folder.path.withCString { pointer -> String? in
                guard let real = realpath(pointer, nil) else { return nil }
                defer { free(real) }
                return String(cString: real)
            }
            let base = realFolder.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? folder
            let candidate = base.appendingPathComponent(current.lastPathComponent)
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(candidate.path, &buffer, buffer.count - 1)
            guard length > 0 else { return candidate }
            let destination = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = destination.hasPrefix("/")
                ? URL(fileURLWithPath: destination).standardizedFileURL
                : base.appendingPathComponent(destination).standardizedFileURL
        }
        return current
    }

    /// Whether two report paths lead to the same file (after links; or the same inode when both exist).
    public static func sameFile(_ first: String, _ second: String) -> Bool {
        let one = resolved(first), other = resolved(second)
        if one.path == other.path { return true }
        var a = stat(), b = stat()
        guard stat(one.path, &a) == 0, stat(other.path, &b) == 0 else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }

    /// `a directory`, `a FIFO`, … for messages.
    static func describe(mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
    }
}
