import Foundation
import RehearseCore

/// Writes the JUnit XML report of DESIGN.md, for Jenkins, GitLab, GitHub and anything else that reads JUnit.
///
/// The shape is the intersection of the two schemas CI tools validate against, the Jenkins xunit plugin's
/// `junit-10.xsd` and the Windy Road `JUnit.xsd`, so that both accept it:
/// ```xml
/// <testsuites>
///   <testsuite name="e-commerce/postgresql" tests failures errors skipped time timestamp hostname id package>
///     <properties>server.product, server.version, server.location, server.limitation…, rehearse.version</properties>
///     <testcase classname="e-commerce.postgresql" name="upgrade v1.0.0 -> v1.1.0: idempotence" time="…">
///       <failure message="one line" type="idempotence">the diff or the server error, then where to look</failure>
///     </testcase>
///     <testcase …><skipped message="rollback failed"/></testcase>
///     <system-out>each test case's notes</system-out>
///     <system-err/>
///   </testsuite>
/// </testsuites>
/// ```
/// Hence: no attributes on `<testsuites>` (Windy Road allows none), at most one child per `<testcase>` (so the
/// notes go to the suite's `<system-out>`), `<system-out>` and `<system-err>` always present, timestamps in UTC
/// without a zone suffix. A run that could not rehearse (an input or environment error) has one suite `rehearse`
/// with one `<testcase>` per error, holding `<error type="input|environment" message="file:line: …">`.
///
/// A failure's body ends with the file to open and a stack-frame-shaped line
/// (`at postgresql.rollback.Rehearse.reversibility(U1.1.0.201__x.sql:3)`) that CI reporters which locate failures
/// through Java stack traces (dorny/test-reporter's `java-junit`) turn into an annotation on that file.
/// ``fileAttributes`` adds `file` and `line` to each failed `<testcase>` for GitLab and action-junit-report;
/// neither schema allows them.
public struct JUnitReporter: Reporter {
    /// Where ``runFinished(_:)`` writes the file.
    public let url: URL
    public let rehearseVersion: String
    /// The `hostname` attribute of every suite.
    public let hostname: String
    /// Whether failed and errored test cases carry `file` and `line` attributes (`--junit-file-attributes`).
    public let fileAttributes: Bool

    public init(url: URL, rehearseVersion: String, hostname: String = ProcessInfo.processInfo.hostName, fileAttributes: Bool = false) {
        self.url = url
        self.rehearseVersion = rehearseVersion
        self.hostname = hostname
        self.fileAttributes = fileAttributes
    }

    /// JUnit is written once, at the end.
    public func checkFinished(_ result: CheckResult, suite: String) {}

    /// Writes the report atomically (temporary file, then rename).
    ///
    /// - Throws: ``EnvironmentError`` naming the file when it cannot be written.
    public func runFinished(_ report: RunReport) throws {
        try ReportFile.write(render(report), to: url, kind: "JUnit")
    }

    /// The name of the suite that holds a run's input and environment errors.
    public static let errorSuiteName = "rehearse"

    /// The XML document for `report`.
    public func render(_ report: RunReport) -> String {
        var xml = XMLWriter()
        let timestamp = ReportFormatting.junitTimestamp(report.startedAt)
        xml.open("testsuites")
        for (index, suite) in report.suites.enumerated() {
            xml.open("testsuite", suiteAttributes(
                name: suite.name, tests: suite.results.count, failures: suite.failures - suite.environmentErrors,
                errors: suite.environmentErrors, skipped: suite.skipped,
                duration: suite.duration, timestamp: timestamp, id: index, package: suite.project
            ))
            writeProperties(properties(of: suite), to: &xml)
            for result in suite.results {
                write(result, className: suite.className, to: &xml)
            }
            let notes = suite.results.filter { !$0.notes.isEmpty }.map { result in
                ([result.name] + result.notes.flatMap { $0.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 } })
                    .joined(separator: "\n")
            }
            writeOutput(notes.isEmpty ? nil : notes.joined(separator: "\n") + "\n", to: &xml)
            xml.close()
        }
        if !report.errors.isEmpty {
            xml.open("testsuite", suiteAttributes(
                name: Self.errorSuiteName, tests: report.errors.count, failures: 0, errors: report.errors.count, skipped: 0,
                duration: report.duration, timestamp: timestamp, id: report.suites.count, package: Self.errorSuiteName
            ))
            writeProperties([("rehearse.version", rehearseVersion)], to: &xml)
            for error in report.errors {
                write(error, to: &xml)
            }
            writeOutput(nil, to: &xml)
            xml.close()
        }
        xml.close()
        return xml.document
    }

    private func suiteAttributes(
        name: String, tests: Int, failures: Int, errors: Int, skipped: Int, duration: Double, timestamp: String, id: Int, package: String
    ) -> [XMLWriter.Attribute] {
        [
            ("name", name),
            ("tests", String(tests)),
            ("failures", String(failures)),
            ("errors", String(errors)),
            ("skipped", String(skipped)),
            ("time", ReportFormatting.junitSeconds(duration)),
            ("timestamp", timestamp),
            // Windy Road requires a non-empty host name and names `localhost` for an unknown one.
            ("hostname", hostname.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "localhost" : hostname),
            ("id", String(id)),
            ("package", package),
        ]
    }

    private func writeProperties(_ properties: [(String, String)], to xml: inout XMLWriter) {
        xml.open("properties")
        for (name, value) in properties {
            xml.element("property", [("name", name), ("value", value)])
        }
        xml.close()
    }

    /// `<system-out>` and `<system-err>`, which Windy Road requires after the test cases of every suite.
    private func writeOutput(_ text: String?, to xml: inout XMLWriter) {
        if let text { xml.element("system-out", text: text) } else { xml.element("system-out") }
        xml.element("system-err")
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
        var attributes: [XMLWriter.Attribute] = [
            ("classname", className),
            ("name", result.name),
            ("time", ReportFormatting.junitSeconds(result.duration)),
        ]
        switch result.outcome {
        case .passed:
            xml.element("testcase", attributes)
        case let .failed(failure):
            if fileAttributes { attributes += Self.fileAttributes(file: failure.file, line: failure.line) }
            xml.open("testcase", attributes)
            // The machine failed, not the migration: an <error>, as DESIGN.md's reports section says.
            xml.element(
                failure.isEnvironmental ? "error" : "failure",
                [("message", Self.oneLine(failure.message)), ("type", failure.isEnvironmental ? "environment" : result.check.rawValue)],
                text: Self.body(of: failure, check: result.check)
            )
            xml.close()
        case let .skipped(reason):
            xml.open("testcase", attributes)
            xml.element("skipped", [("message", Self.oneLine(reason))])
            xml.close()
        }
    }

    private func write(_ error: RunError, to xml: inout XMLWriter) {
        var attributes: [XMLWriter.Attribute] = [
            ("classname", "\(Self.errorSuiteName).\(error.kind.rawValue)"),
            ("name", error.location ?? error.kind.rawValue),
            ("time", ReportFormatting.junitSeconds(0)),
        ]
        if fileAttributes { attributes += Self.fileAttributes(file: error.file, line: error.line) }
        xml.open("testcase", attributes)
        xml.element("error", [("message", Self.oneLine(error.description)), ("type", error.kind.rawValue)], text: error.description)
        xml.close()
    }

    private static func fileAttributes(file: String?, line: Int?) -> [XMLWriter.Attribute] {
        guard let file else { return [] }
        return [("file", file)] + (line.map { [("line", String($0))] } ?? [])
    }

    /// The failure's text, then the file to open (unless the text names it already) and the stack-frame-shaped
    /// pointer at it.
    static func body(of failure: CheckFailure, check: Check) -> String {
        var text = failure.details.isEmpty ? failure.message : failure.details
        guard let file = failure.file, let location = failure.location else { return text }
        text += "\n"
        if !text.contains(location) { text += "\n" + location }
        if let frame = stackFrame(file: file, line: failure.line, check: check) { text += "\n" + frame }
        return text
    }

    /// `at postgresql.rollback.Rehearse.reversibility(U1.1.0.201__x.sql:3)`, or nil when no folder above the file
    /// can stand for a Java package.
    ///
    /// dorny/test-reporter's `java-junit` parser reads `^at (.*)\((.*):(\d+)\)$`, takes the dotted names before the
    /// first one that starts with a capital letter as the package, and annotates the tracked file with that
    /// basename whose last folders are the package. So the package is the longest run of trailing folder names
    /// that start with a lowercase letter and hold no dot.
    static func stackFrame(file: String, line: Int?, check: Check) -> String? {
        let parts = file.split(separator: "/").map(String.init)
        guard parts.count >= 2, let name = parts.last, !name.contains("(") else { return nil }
        var package: [String] = []
        for folder in parts.dropLast().reversed() {
            guard isPackageName(folder) else { break }
            package.insert(folder, at: 0)
        }
        guard !package.isEmpty else { return nil }
        let method = check.rawValue.replacingOccurrences(of: "-", with: "_")
        return "at \(package.joined(separator: ".")).Rehearse.\(method)(\(name):\(line ?? 1))"
    }

    private static func isPackageName(_ folder: String) -> Bool {
        guard let first = folder.unicodeScalars.first, first.value > 0x5A else { return false }
        return !folder.contains { $0 == "." || $0 == "(" || $0 == ")" || $0 == ":" || $0.isWhitespace }
    }

    /// Attribute values are shown on one line by every CI; fold any line breaks into `; `.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
    }
}
