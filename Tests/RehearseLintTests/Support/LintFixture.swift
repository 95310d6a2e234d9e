import Foundation
import RehearseCore
@testable import RehearseLint

/// A chain of migrations written to a temporary folder and linted as hand-built subjects, one per migration,
/// each starting from the one before it (as every flat layout walks its chain).
struct LintFixture {
    let root: URL
    let report: LintReport

    /// - Parameters:
    ///   - migrations: the SQL of each migration, in chain order.
    ///   - execution: how every file runs.
    ///   - idempotence: the subjects' idempotence rule.
    ///   - allowed: rules the suite allows.
    init(
        _ migrations: [String], execution: ExecutionMode = .autocommit,
        idempotence: RehearsalSubject.IdempotenceRule = .never, allowed: [String] = [], layout: String = "flyway"
    ) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-lint-\(UUID().uuidString)")
        self.root = root
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        var subjects: [RehearsalSubject] = []
        for (index, sql) in migrations.enumerated() {
            let name = "V\(index + 1)__step.sql"
            let url = root.appendingPathComponent(name)
            try sql.write(to: url, atomically: true, encoding: .utf8)
            let file = ScriptFile(
                url: url, displayPath: "db/\(name)", role: .forward, phase: "forward", number: nil, summary: "step",
                execution: execution
            )
            subjects.append(RehearsalSubject(
                id: .migration("V\(index + 1)__step"), folder: "db/\(name)",
                start: subjects.last.map { .resultOf($0.id) } ?? .empty, forward: [file], undo: .missing(reason: "none"),
                idempotence: idempotence
            ))
        }
        let suite = RehearsalSuite(
            name: "db", database: .postgresql, layout: layout, displayPath: "db", subjects: subjects,
            policy: .noRules(reason: "none"), isChain: true, allowedRules: allowed, allowedRulesFile: "db/rehearse.yaml",
            allowedRulesLine: 3
        )
        report = try Linter().lint(LoadedRepository(root: root, displayPath: "db", layout: layout, suites: [suite]))
    }

    /// The findings in migration `number` (1-based).
    func findings(in number: Int) -> [LintFinding] {
        report.findings.filter { $0.file == "db/V\(number)__step.sql" }
    }
}

/// The rules `migration` breaks when it runs after `setup` (an earlier migration, so its tables are existing).
func rulesBroken(
    by migration: String, after setup: String = "CREATE TABLE t (id bigint PRIMARY KEY, a integer, b text, s varchar(20));",
    execution: ExecutionMode = .autocommit, idempotence: RehearsalSubject.IdempotenceRule = .never
) throws -> Set<String> {
    let fixture = try LintFixture([setup, migration], execution: execution, idempotence: idempotence)
    return Set(fixture.findings(in: 2).map(\.rule))
}
