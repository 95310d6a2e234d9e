import Foundation
import RehearseCore
import Testing
@testable import RehearseReporters

@Suite struct ReporterGroupTests {
    @Test func forwardsToEveryReporterAndRethrowsTheFirstError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-group-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("blocked.xml"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = BufferedOutput()
        let json = folder.appendingPathComponent("report.json")
        let group = ReporterGroup([
            JUnitReporter(url: folder.appendingPathComponent("blocked.xml"), rehearseVersion: "0.2.0", hostname: "h"),
            ConsoleReporter(output: output, useColor: false),
            JSONReporter(url: json, rehearseVersion: "0.2.0"),
        ])
        group.checkFinished(SampleReports.mongo.results[0], suite: SampleReports.mongo.name)
        #expect(throws: EnvironmentError.self) { try group.runFinished(SampleReports.run) }
        #expect(output.text.hasPrefix("PASS  e-commerce/mongodb  install v1.0.0: forward (0.50s)\n"))
        #expect(output.text.contains("8 checks: 4 passed, 1 failed, 3 skipped in 3.38s"))
        #expect(FileManager.default.fileExists(atPath: json.path))
    }
}
