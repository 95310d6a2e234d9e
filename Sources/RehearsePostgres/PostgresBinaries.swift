import Foundation
import RehearseCore

/// A directory holding PostgreSQL programs (`initdb`, `pg_ctl`, `postgres`, `pg_dump`, `pg_restore`).
///
/// Found through `REHEARSE_PG_BIN`, then `PATH`, then the newest `/usr/lib/postgresql/*/bin` (Debian, Ubuntu).
public struct PostgresBinaries: Sendable, Equatable {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// The programs a disposable server needs.
    static let serverPrograms = ["initdb", "pg_ctl", "postgres"]

    /// The directory with the server programs.
    ///
    /// - Throws: ``EnvironmentError`` saying what to install, or that `REHEARSE_PG_BIN` lacks a program.
    public static func locateServer(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresBinaries {
        if let configured = environment["REHEARSE_PG_BIN"], !configured.isEmpty {
            let binaries = PostgresBinaries(directory: URL(fileURLWithPath: configured, isDirectory: true))
            let missing = serverPrograms.filter { binaries.program($0) == nil }
            guard missing.isEmpty else {
                throw EnvironmentError("REHEARSE_PG_BIN=\(configured) has no \(missing.joined(separator: ", ")); point it at a PostgreSQL bin directory (e.g. /usr/lib/postgresql/15/bin)")
            }
            return binaries.resolvingLinks
        }
        if let found = candidates(environment: environment).first(where: \.hasServerPrograms) {
            return found.resolvingLinks
        }
        throw EnvironmentError(
            "PostgreSQL server programs (initdb, pg_ctl, postgres) not found in REHEARSE_PG_BIN, PATH or /usr/lib/postgresql/*/bin; "
                + "install them (apt-get install postgresql, brew install postgresql) or set REHEARSE_PG_BIN to their directory"
        )
    }

    /// The first directory, in search order, holding `name` (for `pg_dump` against a server Rehearse did not start).
    public static func locate(program name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        var directories: [PostgresBinaries] = []
        if let configured = environment["REHEARSE_PG_BIN"], !configured.isEmpty {
            directories.append(PostgresBinaries(directory: URL(fileURLWithPath: configured, isDirectory: true)))
        }
        directories += candidates(environment: environment)
        return directories.lazy.compactMap { $0.program(name) }.first
    }

    var hasServerPrograms: Bool {
        Self.serverPrograms.allSatisfy { program($0) != nil }
    }

    /// The directory `initdb` really lives in, when `PATH` holds symbolic links to it (`/usr/local/bin/initdb`
    /// -> `/usr/lib/postgresql/15/bin/initdb`), so that `pg_dump` and friends of the same version are found too.
    var resolvingLinks: PostgresBinaries {
        guard let initdb = program("initdb") else { return self }
        let real = PostgresBinaries(directory: initdb.resolvingSymlinksInPath().deletingLastPathComponent())
        return real.hasServerPrograms ? real : self
    }

    /// The executable `name` in this directory, if there is one.
    public func program(_ name: String) -> URL? {
        let url = directory.appendingPathComponent(name)
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }

    /// `PATH` directories, then `/usr/lib/postgresql/<major>/bin`, newest major first.
    private static func candidates(environment: [String: String]) -> [PostgresBinaries] {
        let path = (environment["PATH"] ?? "").split(separator: ":").map { PostgresBinaries(directory: URL(fileURLWithPath: String($0), isDirectory: true)) }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap { name -> (Double, String)? in Double(name).map { ($0, name) } }
            .sorted { $0.0 > $1.0 }
            .map { PostgresBinaries(directory: URL(fileURLWithPath: "\(root)/\($0.1)/bin", isDirectory: true)) }
        return path + versions
    }
}
