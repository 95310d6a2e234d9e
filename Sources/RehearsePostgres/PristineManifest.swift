import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a cached pristine data directory held when it was built: every path with its type, mode and size, and a
/// checksum of the files whose contents decide how the server behaves; see ``PostgresClusterCache``.
///
/// A copy is used only when its own scan equals the manifest. Sizes (not checksums) stand for the catalog files:
/// whoever could rewrite them in place already owns the server account and the cache folder, which the owner
/// and mode checks stand for; the checksums catch a changed configuration, which is where a weakened login would
/// hide.
struct PristineManifest: Sendable, Equatable {
    static let fileName = "manifest"
    private static let header = "rehearse-pristine-manifest 1"
    /// Files checksummed whole (relative to the data directory).
    static let checksummed: Set<String> = [
        "PG_VERSION", "pg_hba.conf", "pg_ident.conf", "postgresql.conf", "postgresql.auto.conf", "global/pg_control",
    ]

    struct Entry: Sendable, Equatable {
        /// Relative to the data directory; `.` for the directory itself.
        var path: String
        /// `d` a directory, `f` a regular file, `?` anything else (which never matches a built manifest).
        var type: Character
        var mode: mode_t
        var size: Int64
        /// Of the contents, for ``checksummed`` files; 0 otherwise.
        var checksum: UInt64
    }

    var key: String
    var entries: [Entry]

    init(key: String, entries: [Entry]) {
        self.key = key
        self.entries = entries
    }

    /// Scans `directory`, noting entries not owned by `owner` as type `?`, so they never match.
    static func scan(_ directory: URL, key: String, owner: uid_t) -> PristineManifest {
        var entries: [Entry] = []
        func visit(_ relative: String) {
            let path = relative == "." ? directory.path : directory.path + "/" + relative
            var info = stat()
            guard lstat(path, &info) == 0 else { return }
            let format = info.st_mode & S_IFMT
            let type: Character = info.st_uid != owner ? "?" : format == S_IFDIR ? "d" : format == S_IFREG ? "f" : "?"
            var checksum: UInt64 = 0
            if type == "f", checksummed.contains(relative), let data = FileManager.default.contents(atPath: path) {
                checksum = Self.checksum(data)
            }
            entries.append(Entry(path: relative, type: type, mode: info.st_mode & 0o7777, size: type == "d" ? 0 : Int64(info.st_size), checksum: checksum))
            guard type == "d" else { return }
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() {
                visit(relative == "." ? name : relative + "/" + name)
            }
        }
        visit(".")
        return PristineManifest(key: key, entries: entries)
    }

    /// The first path that differs between the two, said for a note; nil when they are equal. An entry open to
    /// group or others, or of another type than file or directory, always differs.
    func firstDifference(from other: PristineManifest) -> String? {
        guard key == other.key else { return "another key" }
        let theirs = Dictionary(other.entries.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        for entry in entries {
            guard let copy = theirs[entry.path] else { return "\(entry.path) is missing" }
            if copy.type == "?" { return "\(entry.path) is not a plain file or directory of the server account" }
            if copy.mode & 0o077 != 0 { return "\(entry.path) is open to other users" }
            if copy != entry { return "\(entry.path) changed" }
        }
        let ours = Set(entries.map(\.path))
        if let extra = other.entries.first(where: { !ours.contains($0.path) }) {
            return "\(extra.path) was added"
        }
        return nil
    }

    /// One line per entry: `<type> <mode> <size> <checksum> <path>`, after the header and the key.
    var text: String {
        var lines = [Self.header, "key " + key]
        for entry in entries {
            lines.append("\(entry.type) \(String(entry.mode, radix: 8)) \(entry.size) \(String(entry.checksum, radix: 16)) \(entry.path)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses ``text``; nil when it is not one.
    init?(_ text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard lines.count >= 2, lines[0] == Self.header, lines[1].hasPrefix("key ") else { return nil }
        key = String(lines[1].dropFirst(4))
        var entries: [Entry] = []
        for line in lines.dropFirst(2) {
            let fields = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: false)
            guard fields.count == 5, fields[0].count == 1, let type = fields[0].first, let mode = mode_t(fields[1], radix: 8),
                  let size = Int64(fields[2]), let checksum = UInt64(fields[3], radix: 16), !fields[4].isEmpty else { return nil }
            entries.append(Entry(path: String(fields[4]), type: type, mode: mode, size: size, checksum: checksum))
        }
        self.entries = entries
    }

    /// FNV-1a, 64 bits: enough to notice a changed file, not meant to resist a forger (see the type's comment).
    static func checksum(_ data: Data) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
