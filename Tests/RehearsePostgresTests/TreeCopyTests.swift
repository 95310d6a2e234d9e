import Foundation
import Testing
@testable import RehearsePostgres

/// The copy that restores a cached cluster keeps every file's bytes, owner and mode, and refuses what is not a
/// plain file or folder (the caller then uses `cp -a`).
@Suite struct TreeCopyTests {
    private func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-treecopy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        return url
    }

    @Test func aTreeIsCopiedWithItsBytesAndModes() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let source = root.appendingPathComponent("source")
        try FileManager.default.createDirectory(at: source.appendingPathComponent("base/1"), withIntermediateDirectories: true)
        let big = Data((0..<300_000).map { UInt8($0 % 251) })
        try big.write(to: source.appendingPathComponent("base/1/1259"))
        try Data().write(to: source.appendingPathComponent("base/1/empty"))
        try Data("port = 5432\n".utf8).write(to: source.appendingPathComponent("postgresql.conf"))
        chmod(source.appendingPathComponent("base").path, 0o700)
        chmod(source.appendingPathComponent("base/1/1259").path, 0o600)
        chmod(source.appendingPathComponent("postgresql.conf").path, 0o640)
        let destination = root.appendingPathComponent("copy")
        try TreeCopy.copy(source, to: destination)
        #expect(try Data(contentsOf: destination.appendingPathComponent("base/1/1259")) == big)
        #expect(try Data(contentsOf: destination.appendingPathComponent("base/1/empty")).isEmpty)
        for (path, mode) in [("base", 0o700), ("base/1/1259", 0o600), ("postgresql.conf", 0o640)] {
            var info = stat()
            #expect(lstat(destination.appendingPathComponent(path).path, &info) == 0)
            #expect(info.st_mode & 0o7777 == mode, "\(path)")
        }
    }

    @Test func aSymbolicLinkIsRefused() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let source = root.appendingPathComponent("source")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: source.appendingPathComponent("pg_wal").path, withDestinationPath: "/tmp")
        #expect(throws: TreeCopy.Unsupported.self) { try TreeCopy.copy(source, to: root.appendingPathComponent("copy")) }
    }
}
