/// How much a finding matters: only `error` makes `rehearse lint` exit 1.
public enum LintSeverity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Locks or rewrites a live table, breaks the running application, or breaks a re-run.
    case error
    /// Probably one of those, but lint cannot tell from the text alone.
    case warning
    /// A design choice that makes a later migration harder; never fails the run.
    case advisory

    /// SARIF's `level`.
    public var sarifLevel: String {
        switch self {
        case .error: "error"
        case .warning: "warning"
        case .advisory: "note"
        }
    }

    /// The GitHub Actions workflow command.
    public var githubCommand: String {
        switch self {
        case .error: "error"
        case .warning: "warning"
        case .advisory: "notice"
        }
    }

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .advisory: 2
        }
    }

    public static func < (lhs: LintSeverity, rhs: LintSeverity) -> Bool { lhs.rank < rhs.rank }
}
