import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A record, under the cache directory, of the `rehearse_*` databases a run creates on a server it did not
/// start (`--postgres-url`, `--mongodb-url`), written *before* each database is created.
///
/// A run that is killed before it drops them leaves its record behind; the next run against the same server
/// (same `host:port`, never a password) drops what dead owners recorded there, and only that. Each run has
/// its own file, `<cache>/scratch-databases/<pid>-<start time>.tsv`, of `<kind>\t<location>\t<name>` lines.
package final class ScratchDatabaseLedger: @unchecked Sendable {
    package let kind: String
    package let location: String
    private let file: URL?
    private let lock = NSLock()
    private var names: Set<String> = []

    /// The ledger of this run for databases of `kind` (`postgresql`, `mongodb`) on the server at `location`.
    package init(kind: String, location: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.kind = kind
        self.location = location
        let folder = Self.folder(environment: environment)
        file = folder?.appendingPathComponent("\(RunOwner.current.pid)-\(RunOwner.current.startTime)-\(kind)-\(UUID().uuidString.prefix(8)).tsv")
    }

    /// `${REHEARSE_CACHE_DIR:-$HOME/.cache/rehearse}/scratch-databases`, or nil when there is no home.
    package static func folder(environment: [String: String]) -> URL? {
        let cache: URL
        if let configured = environment["REHEARSE_CACHE_DIR"], !configured.isEmpty {
            cache = URL(fileURLWithPath: configured)
        } else if let home = environment["HOME"], !home.isEmpty {
            cache = URL(fileURLWithPath: home).appendingPathComponent(".cache/rehearse")
        } else {
            return nil
        }
        return cache.appendingPathComponent("scratch-databases", isDirectory: true)
    }

    /// Records `name` before it is created.
    package func record(_ name: String) {
        lock.withLock {
            names.insert(name)
            writeLocked()
        }
    }

    /// Forgets `name` once it is dropped.
    package func forget(_ name: String) {
        lock.withLock {
            guard names.remove(name) != nil else { return }
            writeLocked()
        }
    }

    private func writeLocked() {
        guard let file else { return }
        if names.isEmpty {
            try? FileManager.default.removeItem(at: file)
            return
        }
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let text = names.sorted().map { "\(kind)\t\(location)\t\($0)\n" }.joined()
        let temporary = file.appendingPathExtension("tmp")
        if (try? Data(text.utf8).write(to: temporary)) != nil {
            rename(temporary.path, file.path)
        }
    }

    /// The databases that dead runs recorded for `kind` on `location`, handed to `drop`; a name is forgotten
    /// when `drop` returns true. Records of live runs and of other servers are left alone.
    package static func dropAbandoned(
        kind: String, location: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        drop: (String) -> Bool
    ) {
        guard let folder = folder(environment: environment),
              let entries = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        // A `.tsv.tmp` is a record a killed run was rewriting: it names every database the run had recorded.
        for entry in entries where entry.hasSuffix(".tsv") || entry.hasSuffix(".tsv.tmp") {
            let words = entry.split(separator: "-")
            guard words.count >= 2, let owner = RunOwner("\(words[0]) \(words[1])"), owner != RunOwner.current, !owner.isAlive else { continue }
            let path = folder.appendingPathComponent(entry.hasSuffix(".tmp") ? String(entry.dropLast(".tmp".count)) : entry)
            let source = folder.appendingPathComponent(entry)
            // Claim the file first, so that two new runs do not both work on it.
            let claimed = folder.appendingPathComponent(".\(entry).\(getpid()).claimed")
            guard rename(source.path, claimed.path) == 0 else { continue }
            let text = (try? String(contentsOf: claimed, encoding: .utf8)) ?? ""
            var kept: [String] = []
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                guard fields.count == 3, fields[2].hasPrefix("rehearse_") else { continue }
                if fields[0] == kind, fields[1] == location, drop(fields[2]) { continue }
                kept.append(String(line))
            }
            if kept.isEmpty {
                try? FileManager.default.removeItem(at: claimed)
            } else {
                // Another record of the same run (its `.tsv` beside a `.tsv.tmp`) may have been put back already.
                let earlier = (try? String(contentsOf: path, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
                let lines = Array(Set(earlier + kept)).sorted()
                try? Data((lines.joined(separator: "\n") + "\n").utf8).write(to: claimed)
                rename(claimed.path, path.path)
            }
        }
    }
}
