import Foundation
import RehearseCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The unprivileged account that runs a disposable server when Rehearse itself runs as root
/// (PostgreSQL refuses to start as root).
struct ServerAccount: Sendable, Equatable {
    let name: String
    let uid: uid_t
    let gid: gid_t

    /// nil when not running as root; otherwise `postgres` when it exists, else `nobody`.
    ///
    /// - Throws: ``EnvironmentError`` when running as root and neither account exists.
    static func forServer() throws -> ServerAccount? {
        guard geteuid() == 0 else { return nil }
        for name in ["postgres", "nobody"] {
            if let entry = getpwnam(name) {
                return ServerAccount(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
            }
        }
        throw EnvironmentError("running as root, but there is no unprivileged 'postgres' or 'nobody' account to run the disposable PostgreSQL server; create one (useradd postgres) or run as another user")
    }

    /// `command` rewritten to run as this account: `setpriv` (which execs, so no extra process) or `runuser`.
    ///
    /// - Throws: ``EnvironmentError`` when neither `setpriv` nor `runuser` is installed.
    func wrap(_ command: ExternalCommand) throws -> ExternalCommand {
        var wrapped = command
        wrapped.environment["HOME"] = command.currentDirectory?.path ?? "/"
        wrapped.environment["USER"] = name
        wrapped.environment["LOGNAME"] = name
        if let setpriv = Self.findProgram("setpriv") {
            wrapped.executable = setpriv
            wrapped.arguments = ["--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "--", command.executable.path] + command.arguments
        } else if let runuser = Self.findProgram("runuser") {
            wrapped.executable = runuser
            wrapped.arguments = ["-u", name, "--", command.executable.path] + command.arguments
        } else {
            throw EnvironmentError("running as root needs setpriv or runuser (package util-linux) to start PostgreSQL as '\(name)'; install util-linux or run as another user")
        }
        return wrapped
    }

    private static func findProgram(_ name: String) -> URL? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/bin:/usr/sbin:/bin:/sbin"
        return path.split(separator: ":").lazy
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
