import Foundation

/// A migration repository written into a fresh temporary directory from `[relative path: contents]`.
struct TemporaryRepository {
    let root: URL

    init(_ files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-lint-repo-\(UUID().uuidString)")
        for (path, contents) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: url, atomically: true, encoding: .utf8)
        }
    }

    var path: String { root.path }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}
