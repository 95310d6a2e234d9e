import Foundation
import RehearseCore
@testable import RehearseMongo

/// JavaScript migrations written into a fresh temporary folder, as ``ScriptFile``s the loader would make.
final class JavaScriptFolder {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-js-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    /// Writes `source` as `name` and returns it as a forward file calling `up` (or `entry`, with `role`).
    func migration(_ name: String, _ source: String, entry: String = "up", role: ScriptFile.Role = .forward) throws -> ScriptFile {
        let url = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try source.write(to: url, atomically: true, encoding: .utf8)
        return ScriptFile(
            url: url, displayPath: "migrations/" + name, role: role, phase: "migrations",
            number: MigrationNumber(version: nil, sequence: 1), summary: name, entry: entry
        )
    }
}

extension MongoDatabase {
    /// The documents of `collection` in `_id` order, relaxed Extended JSON.
    func documents(_ collection: String) throws -> [JSONValue] {
        try readCursor(#"{"find": \#(JSONValue.quoted(collection)), "filter": {}, "sort": {"_id": 1}}"#, collection: collection, canonical: false)
    }

    func canonicalDocuments(_ collection: String) throws -> [JSONValue] {
        try readCursor(#"{"find": \#(JSONValue.quoted(collection)), "filter": {}, "sort": {"_id": 1}}"#, collection: collection, canonical: true)
    }
}
