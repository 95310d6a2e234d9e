import Foundation
import RehearseCore

/// Writes ``JSONReport`` (pretty-printed, keys sorted) for dashboards and scripts.
public struct JSONReporter: Reporter {
    public let url: URL
    public let rehearseVersion: String

    public init(url: URL, rehearseVersion: String) {
        self.url = url
        self.rehearseVersion = rehearseVersion
    }

    /// JSON is written once, at the end.
    public func checkFinished(_ result: CheckResult, suite: String) {}

    /// Writes the report atomically (temporary file, then rename).
    ///
    /// - Throws: ``EnvironmentError`` naming the file when it cannot be written.
    public func runFinished(_ report: RunReport) throws {
        try ReportFile.write(render(report), to: url, kind: "JSON")
    }

    /// The JSON text for `report`, ending with a newline.
    public func render(_ report: RunReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Plain strings, integers and finite doubles (JSONReport replaces non-finite ones) always encode.
        let data = try! encoder.encode(JSONReport(report, rehearseVersion: rehearseVersion))
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Reads a report this reporter wrote.
    ///
    /// - Throws: ``InputError`` naming the file when it cannot be read or is not a Rehearse JSON report.
    public static func read(_ url: URL) throws -> JSONReport {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw InputError(file: url.path, "cannot be read")
        }
        do {
            return try JSONDecoder().decode(JSONReport.self, from: data)
        } catch {
            throw InputError(file: url.path, "is not a Rehearse JSON report: \(error)")
        }
    }
}
