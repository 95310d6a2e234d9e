import Foundation

/// The findings as a SARIF 2.1.0 log, the format GitHub code scanning uploads (`github/codeql-action/upload-sarif`).
///
/// Relative file paths become URIs relative to `%SRCROOT%` (the checkout), so code scanning places each result
/// on its line; columns count Unicode code points, as ``LintFinding`` does.
public struct SARIFLintReporter: Sendable {
    public static let schema = "https://json.schemastore.org/sarif-2.1.0.json"
    public let toolVersion: String
    /// Where the tool is documented, for SARIF viewers to link its name to; left out when nil (the property is
    /// optional in SARIF 2.1.0, and Rehearse has no published home to name).
    public let informationURI: String?

    public init(toolVersion: String, informationURI: String? = nil) {
        self.toolVersion = toolVersion
        self.informationURI = informationURI
    }

    struct Log: Encodable {
        let schema: String
        let version: String
        let runs: [Run]

        enum CodingKeys: String, CodingKey {
            case schema = "$schema"
            case version, runs
        }
    }
    struct Run: Encodable {
        let tool: Tool
        let columnKind: String
        let results: [Result]
    }
    struct Tool: Encodable {
        let driver: Driver
    }
    struct Driver: Encodable {
        let name: String
        let version: String
        let semanticVersion: String
        let informationUri: String?
        let rules: [Rule]
    }
    struct Rule: Encodable {
        let id: String
        let shortDescription: Text
        let defaultConfiguration: Configuration
    }
    struct Configuration: Encodable {
        let level: String
    }
    struct Text: Encodable {
        let text: String
    }
    struct Result: Encodable {
        let ruleId: String
        let ruleIndex: Int
        let level: String
        let message: Text
        let locations: [Location]
    }
    struct Location: Encodable {
        let physicalLocation: PhysicalLocation
    }
    struct PhysicalLocation: Encodable {
        let artifactLocation: ArtifactLocation
        let region: Region
    }
    struct ArtifactLocation: Encodable {
        let uri: String
        let uriBaseId: String?
    }
    struct Region: Encodable {
        let startLine: Int
        let startColumn: Int
    }

    public func render(_ report: LintReport) -> String {
        let rules = Linter.rules
        let index = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($0.element.name, $0.offset) })
        let results = report.findings.map { finding in
            Result(
                ruleId: finding.rule, ruleIndex: index[finding.rule] ?? 0, level: finding.severity.sarifLevel,
                message: Text(text: finding.message),
                locations: [Location(physicalLocation: PhysicalLocation(
                    artifactLocation: Self.artifact(finding.file),
                    region: Region(startLine: finding.line, startColumn: finding.column)
                ))]
            )
        }
        let driver = Driver(
            name: "rehearse", version: toolVersion, semanticVersion: toolVersion, informationUri: informationURI,
            rules: rules.map { Rule(id: $0.name, shortDescription: Text(text: $0.summary), defaultConfiguration: Configuration(level: $0.severity.sarifLevel)) }
        )
        let log = Log(schema: Self.schema, version: "2.1.0", runs: [Run(tool: Tool(driver: driver), columnKind: "unicodeCodePoints", results: results)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and integers cannot fail.
        let data = (try? encoder.encode(log)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// A relative path as a URI reference below the checkout; an absolute one as a `file:` URI.
    static func artifact(_ path: String) -> ArtifactLocation {
        if path.hasPrefix("/") {
            return ArtifactLocation(uri: URL(fileURLWithPath: path).absoluteString, uriBaseId: nil)
        }
        var relative = path
        while relative.hasPrefix("./") { relative.removeFirst(2) }
        let encoded = relative.addingPercentEncoding(withAllowedCharacters: Self.pathCharacters) ?? relative
        return ArtifactLocation(uri: encoded, uriBaseId: "%SRCROOT%")
    }

    private static let pathCharacters: CharacterSet = {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: ":;")
        return allowed
    }()
}
