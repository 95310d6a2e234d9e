/// The findings as GitHub Actions workflow commands: each becomes an annotation on its line of the pull request.
///
/// Errors are `::error`, warnings `::warning`, advisories `::notice`.
public struct GitHubLintReporter: Sendable {
    public init() {}

    public func render(_ report: LintReport) -> String {
        report.findings.map { finding in
            let properties = [
                "file=\(Self.property(finding.file))", "line=\(finding.line)", "col=\(finding.column)",
                "title=\(Self.property(finding.rule))",
            ].joined(separator: ",")
            return "::\(finding.severity.githubCommand) \(properties)::\(Self.data(finding.message))\n"
        }.joined()
    }

    /// Escapes a command's message, as `@actions/core` does.
    static func data(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Escapes a command's property value, which also may not hold `:` or `,`.
    static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
