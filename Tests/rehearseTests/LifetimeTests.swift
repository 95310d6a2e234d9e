import Foundation
import Testing

/// Nothing outlives a run (DESIGN.md, "Disposable databases"): whatever ends Rehearse — SIGKILL, SIGHUP, a
/// closed output pipe, SIGINT — no server, directory or shared memory segment is left, and a new run removes
/// what a killed run (and its watchdog) left.
@Suite(.serialized) struct LifetimeTests {
    static let arguments = ["verify", "sample-migrations", "--project", "e-commerce", "--database", "postgresql", "--jobs", "1"]

    /// A private TMPDIR that the server account can traverse.
    static func temporaryFolder() throws -> URL {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-life-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: tmp.path)
        return tmp
    }

    /// Postmasters whose data directory lies under `folder`.
    static func postmasters(under folder: URL) -> [pid_t] {
        RunTests.processes(mentioning: folder.path).filter { $0.contains("postgres -D") }.compactMap { pid_t($0.prefix { $0 != ":" }) }
    }

    /// Live System V segments created by one of `pids`.
    static func segments(createdBy pids: Set<pid_t>) -> [String] {
        // FileHandle reads all of a /proc file; String(contentsOfFile:) stops after its first page.
        let text = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/sysvipc/shm")).readToEnd()).flatMap { String(data: $0, encoding: .utf8) } ?? ""
        return text.split(separator: "\n").dropFirst().filter { line in
            let fields = line.split(separator: " ")
            return fields.count > 4 && pid_t(fields[4]).map(pids.contains) == true
        }.map(String.init)
    }

    /// Waits until `condition` holds (bounded), for clean-ups done by another process.
    static func eventually(_ seconds: TimeInterval = 20, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return condition()
    }

    /// Starts a run under `tmp`, waits for its first check, returns it with its postmaster.
    static func startRun(in tmp: URL) throws -> (RehearseProcess, [pid_t]) {
        let run = RehearseProcess(arguments, environment: ["TMPDIR": tmp.path, "REHEARSE_SERVER_DIR": tmp.path])
        try run.start()
        let before = run.read(until: "install v1.0.0: forward")
        #expect(before.contains("install v1.0.0: forward"), "no progress: \(before)")
        let postmasters = postmasters(under: tmp)
        #expect(postmasters.count == 1, "\(RunTests.processes(mentioning: tmp.path))")
        return (run, postmasters)
    }

    static func expectNothingLeft(in tmp: URL, postmasters: [pid_t], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(eventually { RunTests.processes(mentioning: tmp.path).isEmpty }, "left running: \(RunTests.processes(mentioning: tmp.path))", sourceLocation: sourceLocation)
        #expect(eventually { ((try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []).isEmpty }, "left: \((try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? [])", sourceLocation: sourceLocation)
        #expect(segments(createdBy: Set(postmasters)).isEmpty, "shared memory left: \(segments(createdBy: Set(postmasters)))", sourceLocation: sourceLocation)
    }

    @Test func sigkillMidRunLeavesNoServerDirectoryOrSharedMemory() throws {
        let tmp = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let (run, postmasters) = try Self.startRun(in: tmp)
        kill(run.process.processIdentifier, SIGKILL)
        _ = run.finish()
        #expect(run.process.terminationReason == .uncaughtSignal)
        Self.expectNothingLeft(in: tmp, postmasters: postmasters)
    }

    @Test func sigkillMidRunOfAMongoDBRehearsalLeavesNoServerOrDirectory() throws {
        let tmp = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let run = RehearseProcess(["verify", "sample-migrations", "--project", "e-commerce", "--database", "mongodb", "--jobs", "1"], environment: ["TMPDIR": tmp.path, "REHEARSE_SERVER_DIR": tmp.path])
        try run.start()
        let before = run.read(until: "install v1.0.0: forward")
        #expect(before.contains("install v1.0.0: forward"), "no progress: \(before)")
        let servers = RunTests.processes(mentioning: tmp.path).filter { !$0.contains("rehearse-watchdog") }
        #expect(!servers.isEmpty, "the MongoDB server should run under TMPDIR")
        kill(run.process.processIdentifier, SIGKILL)
        _ = run.finish()
        Self.expectNothingLeft(in: tmp, postmasters: [])
    }

    @Test func aNewRunRemovesWhatAKilledRunAndItsWatchdogLeft() throws {
        let tmp = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let (run, postmasters) = try Self.startRun(in: tmp)
        // Kill the watchdog first, then Rehearse: the server is left running, as after the old bugs.
        let watchdogs = RunTests.processes(mentioning: tmp.path).filter { $0.contains("rehearse-watchdog") }.compactMap { pid_t($0.prefix { $0 != ":" }) }
        #expect(watchdogs.count == 1)
        for pid in watchdogs { kill(pid, SIGKILL) }
        kill(run.process.processIdentifier, SIGKILL)
        _ = run.finish()
        Thread.sleep(forTimeInterval: 0.5)
        #expect(!Self.postmasters(under: tmp).isEmpty, "the server should have been left behind for the reaper")

        let next = try RehearseProcess.run(Self.arguments, environment: ["TMPDIR": tmp.path, "REHEARSE_SERVER_DIR": tmp.path])
        #expect(next.status == 0, "\(next.output)")
        Self.expectNothingLeft(in: tmp, postmasters: postmasters)
    }

    @Test(arguments: [SIGHUP, SIGINT, SIGTERM])
    func aStoppingSignalLeavesNothingIncludingSharedMemory(signal: Int32) throws {
        let tmp = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let (run, postmasters) = try Self.startRun(in: tmp)
        kill(run.process.processIdentifier, signal)
        let outcome = run.finish()
        #expect(outcome.status == 128 + signal, "\(outcome.output)")
        Self.expectNothingLeft(in: tmp, postmasters: postmasters)
    }

    @Test func aClosedOutputPipeStopsTheRunAndLeavesNothing() throws {
        let tmp = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: tmp) }
        // `rehearse verify … | head -1`: the reader goes away after the first line.
        let process = Process()
        process.executableURL = RehearseProcess.binary
        process.arguments = Self.arguments
        process.currentDirectoryURL = RehearseProcess.packageRoot
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = tmp.path
        environment["REHEARSE_SERVER_DIR"] = tmp.path
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        var collected = Data()
        while !String(decoding: collected, as: UTF8.self).contains("install v1.0.0: forward") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            collected.append(chunk)
        }
        let postmasters = Self.postmasters(under: tmp)
        try output.fileHandleForReading.close()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + SIGPIPE, "\(stderr)")
        #expect(stderr.contains("output closed"), "\(stderr)")
        Self.expectNothingLeft(in: tmp, postmasters: postmasters)
    }
}
