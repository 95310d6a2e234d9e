import Foundation

/// The findings as a JSON document with a documented shape (README, "rehearse lint").
///
/// `formatVersion` changes only when a field is removed or changes meaning; new fields may appear without it.
public struct JSONLintReporter: Sendable {
    public static let formatVersion = 1
    public let toolVersion: String

    public init(toolVersion: String) {
        self.toolVersion = toolVersion
    }

    struct Document: Encodable {
        struct Tool: Encodable {
            let name: String
            let version: String
        }
        struct Summary: Encodable {
            let errors: Int
            let warnings: Int
            let advisories: Int
            let files: Int
        }
        let formatVersion: Int
        let tool: Tool
        let repository: String
        let layout: String
        let summary: Summary
        let findings: [LintFinding]
        let rules: [LintRuleDescription]
    }

    public func render(_ report: LintReport) -> String {
        let document = Document(
            formatVersion: Self.formatVersion, tool: .init(name: "rehearse", version: toolVersion),
            repository: report.repository, layout: report.layout,
            summary: .init(
                errors: report.count(.error), warnings: report.count(.warning), advisories: report.count(.advisory),
                files: report.fileCount
            ),
            findings: report.findings, rules: Linter.rules
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and integers cannot fail.
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
