import Foundation
import RehearseCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A spare copy of an entry, made while a run's checks run, so that the next run moves it into place with one
/// `rename` instead of copying a thousand files before its server can start.
///
/// A spare is an ordinary copy of the entry's data directory (the server account's, mode 0700), made in a
/// `.building-<pid>-<start>-<random>` folder beside the entries and published by renaming it to
/// `spare-<key>-<random>`, so a run never sees half of one, and a run that dies while making one leaves a folder
/// that ``removeAbandonedFolders()`` removes later. A run claims a spare by renaming it to its own data directory,
/// which only one run can do, and then checks it against the entry's manifest exactly as it checks a copy
/// (``restore(_:into:owner:)``). At most one spare per entry is kept.
extension PostgresClusterCache {
    private static let sparePrefix = "spare-"

    /// Moves a spare of `key`'s entry to `destination` (which must not exist); false when there is none, or it is on
    /// another file system.
    func claimSpare(_ key: Key, into destination: URL) -> Bool {
        let prefix = Self.sparePrefix + key.name + "-"
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []) where name.hasPrefix(prefix) {
            if rename(directory.appendingPathComponent(name).path, destination.path) == 0 { return true }
        }
        return false
    }

    /// Makes a spare of `key`'s entry unless one is there already; gives up, removing what it copied, when
    /// `shouldStop` says so or anything fails. Runs on a background thread of a run (``PostgresCluster``).
    func makeSpare(_ key: Key, shouldStop: @escaping @Sendable () -> Bool) {
        guard folderProblem(creating: false) == nil else { return }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        guard names.contains(key.name), !names.contains(where: { $0.hasPrefix(Self.sparePrefix + key.name + "-") }) else { return }
        let token = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let building = directory.appendingPathComponent(".building-\(RunOwner.current.pid)-\(RunOwner.current.startTime)-\(token)")
        let removal = CleanupRegistry.shared.register { StaleRunReaper.removeTree(building) }
        defer { CleanupRegistry.shared.unregister(removal) }
        do {
            try TreeCopy.copy(entry(key).appendingPathComponent("data", isDirectory: true), to: building, shouldStop: shouldStop)
        } catch {
            StaleRunReaper.removeTree(building)
            return
        }
        if shouldStop() || rename(building.path, directory.appendingPathComponent(Self.sparePrefix + key.name + "-" + token).path) != 0 {
            StaleRunReaper.removeTree(building)
        }
    }
}
