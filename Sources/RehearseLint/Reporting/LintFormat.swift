/// The output formats of `rehearse lint`.
public enum LintFormat: String, Sendable, CaseIterable {
    /// `file:line:column: rule: message` lines and a summary.
    case human
    /// ``JSONLintReporter``'s document.
    case json
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    case sarif
    /// GitHub Actions workflow commands (`::error file=…::…`), which annotate the pull request's diff.
    case github

    /// The text of `report` in this format.
    public func render(_ report: LintReport, toolVersion: String) -> String {
        switch self {
        case .human: HumanLintReporter().render(report)
        case .json: JSONLintReporter(toolVersion: toolVersion).render(report)
        case .sarif: SARIFLintReporter(toolVersion: toolVersion).render(report)
        case .github: GitHubLintReporter().render(report)
        }
    }
}
