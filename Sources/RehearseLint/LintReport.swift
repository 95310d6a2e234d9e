/// What `rehearse lint` found in one repository.
public struct LintReport: Sendable, Equatable {
    /// The repository as given, and the layout that read it.
    public let repository: String
    public let layout: String
    /// In file order: suite, subject, file, then line and column.
    public let findings: [LintFinding]
    /// How many forward files were read.
    public let fileCount: Int

    public init(repository: String, layout: String, findings: [LintFinding], fileCount: Int) {
        self.repository = repository
        self.layout = layout
        self.findings = findings
        self.fileCount = fileCount
    }

    /// True when a finding is an error: `rehearse lint` then exits 1.
    public var hasErrors: Bool { findings.contains { $0.severity == .error } }

    public func count(_ severity: LintSeverity) -> Int {
        findings.filter { $0.severity == severity }.count
    }

    /// `2 errors, 1 warning, 5 advisories in 12 files`.
    public var summary: String {
        func counted(_ count: Int, _ singular: String, _ plural: String) -> String {
            "\(count) \(count == 1 ? singular : plural)"
        }
        return [
            counted(count(.error), "error", "errors"),
            counted(count(.warning), "warning", "warnings"),
            counted(count(.advisory), "advisory", "advisories"),
        ].joined(separator: ", ") + " in " + counted(fileCount, "file", "files")
    }
}
