/// One line per finding, as compilers print them, then a count: what a person reads in a terminal or CI log.
public struct HumanLintReporter: Sendable {
    public init() {}

    public func render(_ report: LintReport) -> String {
        var text = report.findings.map { $0.description + "\n" }.joined()
        text += report.findings.isEmpty ? "rehearse lint: no findings in \(report.fileCount) file\(report.fileCount == 1 ? "" : "s")\n"
            : "rehearse lint: \(report.summary)\n"
        return text
    }
}
