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

        let temporary = try TemporaryDirectory(prefix: "rehearse-mongodump-")
        defer { temporary.remove() }
        let directory = temporary.url
        let archive = directory.appendingPathComponent("\(name).archive").path
        // The URI may hold a password: the tools read it from a private config file, never from their
        // command line (which `ps` shows to every user).
        let config = directory.appendingPathComponent("tools.yaml")
        let quotedURI = "\"" + engine.uri.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        guard FileManager.default.createFile(atPath: config.path, contents: Data("uri: \(quotedURI)\n".utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ScriptFailure(file: "mongodump", message: "cannot write the tools' configuration in \(directory.path)")
        }

        try runTool(mongodump, ["--config=\(config.path)", "--db=\(name)", "--archive=\(archive)", "--quiet"], in: directory)
        let restored = try engine.createMongoDatabase(label: "restore")
        defer { restored.drop() }
        try runTool(
            mongorestore,
            ["--config=\(config.path)", "--archive=\(archive)", "--nsFrom=\(name).*", "--nsTo=\(restored.name).*", "--quiet"],
            in: directory
        )
        return try restored.snapshot()
    }

    /// Runs a database tool to completion (killed after ten minutes, or on interrupt).
    private func runTool(_ executable: URL, _ arguments: [String], in directory: URL) throws {
        let tool = executable.lastPathComponent
        let outcome: ExternalCommand.Outcome
        do {
            outcome = try ExternalCommand(executable: executable, arguments: arguments, currentDirectory: directory, timeout: 600).run()
        } catch {
            throw ScriptFailure(file: tool, message: "\(error)")
        }
        guard outcome.succeeded else {
            let tail = MongoClient.redacted(outcome.output.split(separator: "\n").suffix(15).joined(separator: "\n"), uri: engine.uri)
            let how = outcome.timedOut ? "was stopped after 10 minutes" : "exited with status \(outcome.status)"
            throw ScriptFailure(file: tool, message: "\(tool) \(how) for \(engine.adminTarget)/\(name)", detail: tail)
        }
    }
}
