import Foundation
import RehearseCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How long this process has run, for "server ready 0.21 s after start" under `--verbose`: measured from the
/// kernel's record of the process start, so the time before `main` (loading, argument parsing) counts too.
enum ProcessClock {
    /// Seconds since this process started (10 ms resolution); nil where `/proc` does not say.
    static func secondsSinceStart() -> TimeInterval? {
        #if os(Linux)
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        guard ticks > 0, RunOwner.current.startTime > 0,
              let uptime = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
              let seconds = uptime.split(separator: " ").first.flatMap({ Double($0) }) else { return nil }
        return max(0, seconds - Double(RunOwner.current.startTime) / Double(ticks))
        #else
        return nil
        #endif
    }
}
