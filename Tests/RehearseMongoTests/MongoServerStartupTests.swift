import Foundation
import RehearseCore
@testable import RehearseMongo
import Testing

/// Start-up failures, with stand-in programs instead of a real server.
@Suite struct MongoServerStartupTests {
    /// A shell script standing in for nx-27017; it records its working directory (the server directory) and pid.
    private func fakeServer(_ body: String) throws -> (program: MongoServerProgram, marker: URL, folder: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-fake-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let marker = folder.appendingPathComponent("marker")
        let script = folder.appendingPathComponent("nx-27017")
        try "#!/bin/sh\necho \"$PWD $$\" > '\(marker.path)'\n\(body)\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return (MongoServerProgram(product: .nx27017, executable: script), marker, folder)
    }

    private func recorded(_ marker: URL) throws -> (directory: String, pid: Int32) {
        let parts = try String(contentsOf: marker, encoding: .utf8).split(separator: " ")
        return (String(parts[0]), Int32(parts[1].trimmingCharacters(in: .whitespacesAndNewlines))!)
    }

    @Test func aServerThatExitsIsAnEnvironmentErrorWithItsOutput() throws {
        let fake = try fakeServer("echo 'fatal: cannot open the database file' >&2\nexit 3")
        defer { try? FileManager.default.removeItem(at: fake.folder) }
        #expect {
            _ = try MongoServer(program: fake.program, timeout: 20)
        } throws: { error in
            guard let error = error as? EnvironmentError else { return false }
            return error.message.contains("exited with status 3") && error.message.contains("fatal: cannot open the database file")
        }
        let started = try recorded(fake.marker)
        #expect(!FileManager.default.fileExists(atPath: started.directory), "the server directory is removed")
    }

    @Test func aServerThatNeverAnswersIsStoppedAndRemoved() throws {
        let fake = try fakeServer("echo 'listening (not really)'\nexec sleep 60")
        defer { try? FileManager.default.removeItem(at: fake.folder) }
        #expect {
            _ = try MongoServer(program: fake.program, timeout: 1.5)
        } throws: { error in
            guard let error = error as? EnvironmentError else { return false }
            return error.message.contains("did not answer ping") && error.message.contains("listening (not really)")
        }
        let started = try recorded(fake.marker)
        #expect(!FileManager.default.fileExists(atPath: started.directory))
        #expect(kill(started.pid, 0) != 0, "the server process is gone")
    }
}
