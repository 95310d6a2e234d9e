import Foundation
import Testing
@testable import RehearseCore

/// Children start clean (DESIGN.md / STYLE.md "Lifetimes"): default signals, empty mask, no inherited
/// descriptors, their own process group, and a timeout kills the whole group.
@Suite struct ExternalCommandTests {
    static let sh = URL(fileURLWithPath: "/bin/sh")

    @Test func childrenGetACleanSignalMaskAndDefaultDispositions() throws {
        // Block and ignore a few signals here, as a signal-handling parent might; the child must see neither.
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGUSR1)
        sigaddset(&blocked, SIGTERM)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        let oldHandler = signal(SIGUSR2, SIG_IGN)
        defer {
            pthread_sigmask(SIG_SETMASK, &previous, nil)
            signal(SIGUSR2, oldHandler)
        }
        let outcome = try ExternalCommand(executable: Self.sh, arguments: ["-c", "grep -E '^Sig(Blk|Ign)' /proc/self/status"], timeout: 20).run()
        #expect(outcome.succeeded, "\(outcome.output)")
        // Signals 1–31; 32 and 33 belong to the C library, which sets them up itself in every program.
        let masks = outcome.output.split(separator: "\n").compactMap { line -> UInt64? in
            line.split(separator: "\t").last.flatMap { UInt64($0, radix: 16) }
        }
        #expect(masks.count == 2)
        #expect(masks.allSatisfy { $0 & 0x7fff_ffff == 0 }, "\(outcome.output)")
    }

    @Test func childrenInheritNoDescriptorsButTheStandardThree() throws {
        // A descriptor without close-on-exec, as a careless library would leave one.
        let leaked = open("/dev/null", O_RDONLY)
        defer { close(leaked) }
        #expect(leaked > 2)
        let outcome = try ExternalCommand(executable: Self.sh, arguments: ["-c", "ls /proc/$$/fd"], timeout: 20).run()
        #expect(outcome.succeeded, "\(outcome.output)")
        let descriptors = Set(outcome.output.split(whereSeparator: \.isWhitespace).compactMap { Int32($0) })
        #expect(!descriptors.contains(leaked), "inherited: \(descriptors.sorted())")
        #expect(descriptors.isSuperset(of: [0, 1, 2]))
        #expect(descriptors.subtracting([0, 1, 2]).count <= 1, "only ls's own directory descriptor may appear: \(descriptors.sorted())")
    }

    @Test func childrenRunInTheirOwnProcessGroup() throws {
        var pid: pid_t = 0
        let outcome = try ExternalCommand(executable: Self.sh, arguments: ["-c", "cut -d' ' -f5 /proc/$$/stat"], timeout: 20).run { pid = $0 }
        #expect(outcome.output == String(pid))
        #expect(outcome.output != String(getpgrp()))
    }

    @Test func aTimeoutKillsTheGrandchildrenToo() throws {
        let marker = "rehearse-grandchild-\(UUID().uuidString.prefix(8))"
        let started = Date()
        let outcome = try ExternalCommand(
            executable: Self.sh,
            // The grandchild keeps the output descriptor open, which used to keep the caller waiting.
            arguments: ["-c", "sh -c 'sleep 120; echo \(marker)' & sleep 120"],
            timeout: 1
        ).run()
        #expect(outcome.timedOut)
        #expect(Date().timeIntervalSince(started) < 10)
        Thread.sleep(forTimeInterval: 0.2)
        #expect(Self.processes(mentioning: marker).isEmpty)
    }

    @Test func aFinishedToolLeavesNoBackgroundJobBehind() throws {
        let marker = "rehearse-straggler-\(UUID().uuidString.prefix(8))"
        let outcome = try ExternalCommand(executable: Self.sh, arguments: ["-c", "sh -c 'sleep 120; echo \(marker)' >/dev/null 2>&1 & echo done"], timeout: 20).run()
        #expect(outcome.succeeded)
        #expect(outcome.output == "done")
        Thread.sleep(forTimeInterval: 0.2)
        #expect(Self.processes(mentioning: marker).isEmpty)
    }

    @Test func exitStatusAndEnvironmentAreReported() throws {
        let outcome = try ExternalCommand(
            executable: Self.sh, arguments: ["-c", "echo \"$REHEARSE_PROBE:${PGHOST:-none}\"; exit 3"],
            environment: ["REHEARSE_PROBE": "seen"], droppedVariablePrefixes: ["PG"], timeout: 20
        ).run()
        #expect(outcome.status == 3)
        #expect(outcome.output == "seen:none")
        #expect(throws: EnvironmentError.self) {
            try ExternalCommand(executable: URL(fileURLWithPath: "/nonexistent/tool"), arguments: []).run()
        }
    }

    static func processes(mentioning text: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.compactMap { pid in
            guard RunOwner.isRunning(pid), let commandLine = RunOwner.commandLine(of: pid), commandLine.contains(text) else { return nil }
            return "\(pid): \(commandLine)"
        }
    }
}

/// The watchdog stops a server and removes its directory when Rehearse goes away, and the reaper cleans up
/// after runs whose watchdog died too.
@Suite struct ProcessWatchdogTests {
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-watchdogtest-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A stand-in server whose command line names its directory and which ignores SIGTERM, as nx-27017 did.
    static func server(in directory: URL) throws -> ChildProcess {
        try ExternalCommand(executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "trap '' TERM; sleep 300 & wait", directory.path])
            .start(logFile: directory.appendingPathComponent("log"))
    }

    @Test func atEndOfFileTheWatchdogStopsTheServerAndRemovesTheDirectory() throws {
        let directory = try Self.directory()
        let server = try Self.server(in: directory)
        let watchdog = try ProcessWatchdog(directory: directory)
        watchdog.watch(pid: server.pid, steps: [.init(signal: SIGTERM, grace: 1)])
        // What the kernel does when Rehearse dies: the pipe's only writer goes away.
        watchdog.dismiss()
        #expect(server.wait(timeout: 10))
        #expect(!FileManager.default.fileExists(atPath: directory.path))
        #expect(Self.liveMembers(ofGroup: server.pid).isEmpty, "the server's process group is gone")
    }

    /// Processes of group `group` that still run (zombies awaiting a reaper do not count).
    static func liveMembers(ofGroup group: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.filter { pid in
            guard RunOwner.isRunning(pid), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && pid_t(fields[2]) == group
        }
    }

    @Test func theWatchdogLeavesAnUnrelatedProcessAlone() throws {
        let directory = try Self.directory()
        let unrelated = try ExternalCommand(executable: URL(fileURLWithPath: "/bin/sleep"), arguments: ["300"]).start(logFile: URL(fileURLWithPath: "/dev/null"))
        defer { unrelated.stop([]) }
        let watchdog = try ProcessWatchdog(directory: directory)
        watchdog.watch(pid: unrelated.pid, steps: [.init(signal: SIGTERM, grace: 1)])
        watchdog.dismiss()
        #expect(!FileManager.default.fileExists(atPath: directory.path))
        #expect(unrelated.isRunning, "a pid whose command line does not name the directory is never signalled")
    }

    @Test func theReaperRemovesWhatADeadOwnerLeftAndNothingElse() throws {
        let stale = try Self.directory()
        let live = try Self.directory()
        let unowned = try Self.directory()
        defer { [stale, live, unowned].forEach { try? FileManager.default.removeItem(at: $0) } }
        // A dead owner: a process that has exited (its pid is not running any more).
        let finished = try ExternalCommand(executable: URL(fileURLWithPath: "/bin/true"), arguments: []).start(logFile: URL(fileURLWithPath: "/dev/null"))
        finished.wait()
        try RunOwner(pid: finished.pid, startTime: 1).record(in: stale)
        let server = try Self.server(in: stale)
        try Data("\(server.pid) TERM 1\n".utf8).write(to: stale.appendingPathComponent(ProcessWatchdog.serverFileName))
        try RunOwner.current.record(in: live)

        let removed = StaleRunReaper.reap(roots: [stale.deletingLastPathComponent()], prefixes: ["rehearse-watchdogtest-"])
        #expect(removed.map(\.lastPathComponent) == [stale.lastPathComponent])
        #expect(server.wait(timeout: 10))
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        #expect(FileManager.default.fileExists(atPath: live.path))
        #expect(FileManager.default.fileExists(atPath: unowned.path))
    }

    @Test func ownersAreIdentifiedByPidAndStartTime() throws {
        #expect(RunOwner.current.isAlive)
        #expect(RunOwner("\(RunOwner.current)") == RunOwner.current)
        #expect(!RunOwner(pid: RunOwner.current.pid, startTime: RunOwner.current.startTime + 1).isAlive, "a recycled pid is not the owner")
        #expect(RunOwner("12 x") == nil)
    }
}
