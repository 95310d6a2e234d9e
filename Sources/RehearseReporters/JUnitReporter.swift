import Foundation
import RehearseCore

/// Writes the JUnit XML report of DESIGN.md, for Jenkins, GitLab, GitHub and anything else that reads JUnit.
///
/// The shape:
/// ```xml
/// <testsuites name="rehearse" tests="…" failures="…" errors="0" skipped="…" time="…" timestamp="…">
///   <testsuite name="e-commerce/postgresql" tests failures errors="0" skipped time timestamp hostname id package>
///     <properties>server.product, server.version, server.location, server.limitation…, rehearse.version</properties>
///     <testcase classname="e-commerce.postgresql" name="upgrade v1.0.0 -> v1.1.0: idempotence" time="…">
///       <failure message="one line" type="idempotence">the diff or the server error</failure>
///       <system-out>notes</system-out>
///     </testcase>
///     <testcase …><skipped message="rollback failed"/></testcase>
///   </testsuite>
/// </testsuites>
/// ```
/// Timestamps are UTC without a zone suffix, as the common JUnit schema requires. Rehearse never reports
/// `<error>`: a check either passed, failed or was skipped.
public struct JUnitReporter: Reporter {
    /// Where ``runFinished(_:)`` writes the file.
    public let url: URL
    public let rehearseVersion: String
    /// The `hostname` attribute of every suite.
    public let hostname: String

    public init(url: URL, rehearseVersion: String, hostname: String = ProcessInfo.processInfo.hostName) {
        self.url = url
        self.rehearseVersion = rehearseVersion
        self.hostname = hostname
    }

    /// JUnit is written once, at the end.
    public func checkFinished(_ result: CheckResult, suite: String) {}

    /// Writes the report atomically (temporary file, then rename).
    ///
    /// - Throws: ``EnvironmentError`` naming the file when it cannot be written.
    public func runFinished(_ report: RunReport) throws {
        try ReportFile.write(render(report), to: url, kind: "JUnit")
    }

    /// The XML document for `report`.
    public func render(_ report: RunReport) -> String {
        var xml = XMLWriter()
        let timestamp = ReportFormatting.junitTimestamp(report.startedAt)
        xml.open("testsuites", [
            ("name", "rehearse"),
            ("tests", String(report.total)),
            ("failures", String(report.failures)),
            ("errors", "0"),
            ("skipped", String(report.skipped)),
            ("time", ReportFormatting.junitSeconds(report.duration)),
            ("timestamp", timestamp),
        ])
        for (index, suite) in report.suites.enumerated() {
            xml.open("testsuite", [
                ("name", suite.name),
                ("tests", String(suite.results.count)),
                ("failures", String(suite.failures)),
                ("errors", "0"),
                ("skipped", String(suite.skipped)),
                ("time", ReportFormatting.junitSeconds(suite.duration)),
                ("timestamp", timestamp),
                ("hostname", hostname),
                ("id", String(index)),
                ("package", suite.project),
            ])
            xml.open("properties")
            for (name, value) in properties(of: suite) {
                xml.element("property", [("name", name), ("value", value)])
            }
            xml.close()
            for result in suite.results {
                write(result, className: suite.className, to: &xml)
            }
            xml.close()
        }
        xml.close()
        return xml.document
    }

    private func properties(of suite: SuiteReport) -> [(String, String)] {
        var properties: [(String, String)] = []
        if let server = suite.server {
            properties.append(("server.product", server.product))
            properties.append(("server.version", server.version))
            properties.append(("server.location", server.location))
            for limitation in server.limitations {
                properties.append(("server.limitation", limitation))
            }
        } else {
            properties.append(("server.product", "none"))
        }
        properties.append(("rehearse.version", rehearseVersion))
        return properties
    }

    private func write(_ result: CheckResult, className: String, to xml: inout XMLWriter) {
        let attributes: [XMLWriter.Attribute] = [
            ("classname", className),
            ("name", result.name),
            ("time", ReportFormatting.junitSeconds(result.duration)),
        ]
        let notes = result.notes.isEmpty ? nil : result.notes.joined(separator: "\n")
        switch result.outcome {
        case .passed where notes == nil:
            xml.element("testcase", attributes)
        case .passed:
            xml.open("testcase", attributes)
            xml.element("system-out", text: notes)
            xml.close()
        case let .failed(failure):
            xml.open("testcase", attributes)
            let details = failure.details.isEmpty ? failure.message : failure.details
            xml.element("failure", [("message", Self.oneLine(failure.message)), ("type", result.check.rawValue)], text: details)
            if let notes { xml.element("system-out", text: notes) }
            xml.close()
        case let .skipped(reason):
            xml.open("testcase", attributes)
            xml.element("skipped", [("message", Self.oneLine(reason))])
            if let notes { xml.element("system-out", text: notes) }
            xml.close()
        }
    }

    /// Attribute values are shown on one line by every CI; fold any line breaks into `; `.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
    }
}
