import Foundation
import RehearseCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The unprivileged account that runs a disposable server when Rehearse itself runs as root
/// (PostgreSQL refuses to start as root).
///
/// It must own nothing else on the machine: a migration's `COPY … TO PROGRAM` runs with its rights. So it is
/// `REHEARSE_SERVER_USER` when set, else `nobody` — never `postgres`, which owns the machine's own PostgreSQL.
struct ServerAccount: Sendable, Equatable {
    let name: String
    let uid: uid_t
    let gid: gid_t

    /// nil when not running as root; otherwise the account named by `REHEARSE_SERVER_USER`, else `nobody`.
    ///
    /// - Throws: ``EnvironmentError`` (fail closed) when running as root and that account does not exist, is
    ///   root, or is `postgres`.
    static func forServer(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServerAccount? {
        guard geteuid() == 0 else { return nil }
        let configured = environment["REHEARSE_SERVER_USER"].flatMap { $0.isEmpty ? nil : $0 }
        let name = configured ?? "nobody"
        let source = configured == nil ? "the default account `nobody`" : "REHEARSE_SERVER_USER=\(name)"
        guard let (uid, gid) = Self.ids(of: name) else {
            throw EnvironmentError("running as root, the disposable PostgreSQL server runs as an unprivileged account, but \(source) does not exist; create an account that owns nothing else (useradd --system rehearse) and set REHEARSE_SERVER_USER to it, or run as another user")
        }
        let account = ServerAccount(name: name, uid: uid, gid: gid)
        guard account.uid != 0 else {
            throw EnvironmentError("\(source) is root; the disposable PostgreSQL server needs an unprivileged account that owns nothing else")
        }
        guard name != "postgres", account.uid != Self.ids(of: "postgres")?.uid else {
            throw EnvironmentError("\(source) is the `postgres` account, which owns the machine's own PostgreSQL: a migration's COPY … TO PROGRAM could change it; choose an account that owns nothing else")
        }
        return account
    }

    /// The uid and gid of account `name`, or nil when there is none. `getpwnam_r`: `getpwnam` answers in one buffer
    /// for the whole process, which a lookup on another thread (suites run in parallel) overwrites before it is read.
    static func ids(of name: String) -> (uid: uid_t, gid: gid_t)? {
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        guard getpwnam_r(name, &entry, &buffer, buffer.count, &found) == 0, found != nil else { return nil }
        return (entry.pw_uid, entry.pw_gid)
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
