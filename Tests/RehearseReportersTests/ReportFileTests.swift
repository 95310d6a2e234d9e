import Foundation
import RehearseCore
import Testing
@testable import RehearseReporters

/// Report paths (DESIGN.md, "Reports"): written atomically when regular or absent; a device, FIFO or directory
/// is an environment error and never replaced; a symlink is followed.
@Suite struct ReportFileTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-reportfile-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func kind(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
    }

    @Test func aDeviceIsNeverReplaced() throws {
        let before = Self.kind("/dev/null")
        #expect(before == S_IFCHR)
        #expect {
            try ReportFile.write("<xml/>", to: URL(fileURLWithPath: "/dev/null"), kind: "JUnit")
        } throws: { error in
            guard let error = error as? EnvironmentError else { return false }
            return error.message.contains("/dev/null") && error.message.contains("character device")
        }
        #expect(Self.kind("/dev/null") == S_IFCHR, "/dev/null must still be the device")
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: "/dev").allSatisfy { !$0.hasPrefix(".null.") })
    }

    @Test func aFIFOIsNeverReplacedNorOpened() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("report.xml")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        #expect(throws: EnvironmentError.self) { try ReportFile.write("x", to: fifo, kind: "JUnit") }
        #expect(Self.kind(fifo.path) == S_IFIFO)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.xml"])
    }

    @Test func aDirectoryIsNeverReplaced() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let directory = folder.appendingPathComponent("report.json")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        #expect {
            try ReportFile.write("{}", to: directory, kind: "JSON")
        } throws: { error in
            (error as? EnvironmentError)?.message.contains("a directory") == true
        }
        #expect(Self.kind(directory.path) == S_IFDIR)
    }

    @Test func aSymlinkIsFollowedAndKept() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let real = folder.appendingPathComponent("real.xml")
        try Data("old".utf8).write(to: real)
        let link = folder.appendingPathComponent("link.xml")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real.xml")
        try ReportFile.write("new", to: link, kind: "JUnit")
        #expect(Self.kind(link.path) == S_IFLNK)
        #expect(try String(contentsOf: real, encoding: .utf8) == "new")
        // A dangling link is followed too: its target is created.
        let dangling = folder.appendingPathComponent("dangling.xml")
        try FileManager.default.createSymbolicLink(atPath: dangling.path, withDestinationPath: "made.xml")
        try ReportFile.write("made", to: dangling, kind: "JUnit")
        #expect(try String(contentsOf: folder.appendingPathComponent("made.xml"), encoding: .utf8) == "made")
        // A link to a device is refused like the device.
        let toDevice = folder.appendingPathComponent("null.xml")
        try FileManager.default.createSymbolicLink(atPath: toDevice.path, withDestinationPath: "/dev/null")
        #expect(throws: EnvironmentError.self) { try ReportFile.write("x", to: toDevice, kind: "JUnit") }
        #expect(Self.kind("/dev/null") == S_IFCHR)
    }

    @Test func aRegularFileIsReplacedAtomically() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("nested/report.xml")
        try ReportFile.write("one", to: file, kind: "JUnit")
        try ReportFile.write("two", to: file, kind: "JUnit")
        #expect(try String(contentsOf: file, encoding: .utf8) == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path) == ["report.xml"])
    }

    @Test func twoPathsToOneFileAreRecognised() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("r.xml")
        let link = folder.appendingPathComponent("l.xml")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: file.path)
        #expect(ReportPath.sameFile(file.path, link.path))
        #expect(ReportPath.sameFile(file.path, folder.path + "/./sub/../r.xml"))
        #expect(!ReportPath.sameFile(file.path, folder.appendingPathComponent("other.xml").path))
    }
}
