import RehearseKit

/// A rehearsal as a test sees it: the report when it ran, and the issues to record.
struct RehearsalOutcome: Sendable {
    let report: RunReport?
    let issues: [RehearsalIssue]

    /// Loads, plans and runs `request`; input and environment errors become issues rather than thrown errors, so
    /// that a SQL file that does not parse is reported at its line like any failing check.
    ///
    /// - Throws: `CancellationError` when the test was cancelled; any error that is neither input nor environment.
    static func run(_ request: RehearsalRequest) async throws -> RehearsalOutcome {
        let rehearsal: Rehearsal
        do {
            rehearsal = try Rehearsal(request)
        } catch {
            guard let issues = RehearsalIssue.issues(for: error) else { throw error }
            return RehearsalOutcome(report: nil, issues: issues)
        }
        do {
            let report = try await rehearsal.run()
            return RehearsalOutcome(report: report, issues: RehearsalIssue.issues(in: report, repository: rehearsal.repository))
        } catch {
            guard let issues = RehearsalIssue.issues(for: error, repository: rehearsal.repository) else { throw error }
            return RehearsalOutcome(report: nil, issues: issues)
        }
    }
}
