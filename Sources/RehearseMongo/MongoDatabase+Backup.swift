import Foundation
import RehearseCore

extension MongoDatabase {
    /// Dumps this database with `mongodump --archive`, restores it with `mongorestore` into a fresh scratch
    /// database (renaming the namespaces), and returns that database's snapshot; the fresh database is dropped.
    ///
    /// - Throws: ``BackupUnavailable`` when `mongodump` or `mongorestore` is not on `PATH`; ``ScriptFailure`` with
    ///   the tool's output when dump or restore fails. The server URI is passed to the tools but never shown.
    public func backupRoundTrip() throws -> SchemaSnapshot {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        guard let mongodump = MongoServerProgram.searchPath(path, for: "mongodump"),
              let mongorestore = MongoServerProgram.searchPath(path, for: "mongorestore")
        else { throw BackupUnavailable("mongodump and mongorestore are not installed (MongoDB Database Tools)") }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-mongodump-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let removeOnInterrupt = CleanupRegistry.shared.register { try? FileManager.default.removeItem(at: directory) }
        defer {
            try? FileManager.default.removeItem(at: directory)
            CleanupRegistry.shared.unregister(removeOnInterrupt)
        }
        let archive = directory.appendingPathComponent("\(name).archive").path
        // The URI may hold a password: the tools read it from a private config file, never from their
        // command line (which `ps` shows to every user).
        let config = directory.appendingPathComponent("tools.yaml")
        let quotedURI = "\"" + engine.uri.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        guard FileManager.default.createFile(atPath: config.path, contents: Data("uri: \(quotedURI)\n".utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ScriptFailure(file: "mongodump", message: "cannot write the tools' configuration in \(directory.path)")
        }

        try runTool(mongodump, ["--config=\(config.path)", "--db=\(name)", "--archive=\(archive)", "--quiet"], log: directory.appendingPathComponent("mongodump.log"))
        let restored = try engine.createMongoDatabase(label: "restore")
        defer { restored.drop() }
        try runTool(
            mongorestore,
            ["--config=\(config.path)", "--archive=\(archive)", "--nsFrom=\(name).*", "--nsTo=\(restored.name).*", "--quiet"],
            log: directory.appendingPathComponent("mongorestore.log")
        )
        return try restored.snapshot()
    }

    private func runTool(_ executable: URL, _ arguments: [String], log: URL) throws {
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            try? output.close()
            throw ScriptFailure(file: executable.lastPathComponent, message: "cannot run \(executable.path): \(error.localizedDescription)")
        }
        process.waitUntilExit()
        try? output.close()
        guard process.terminationStatus == 0 else {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            let tail = MongoClient.redacted(text.split(separator: "\n").suffix(15).joined(separator: "\n"), uri: engine.uri)
            throw ScriptFailure(
                file: executable.lastPathComponent,
                message: "\(executable.lastPathComponent) exited with status \(process.terminationStatus) for \(engine.adminTarget)/\(name)",
                detail: tail
            )
        }
    }
}
