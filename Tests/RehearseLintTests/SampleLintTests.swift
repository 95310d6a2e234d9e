import Foundation
import Testing
@testable import RehearseLint

/// `rehearse lint` on the bundled samples: the good project has nothing at error level, and the broken projects
/// whose defect lint can see are caught by the rule that names it.
@Suite struct SampleLintTests {
    static let samples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sample-migrations").path

    static func lint(_ project: String) throws -> LintReport {
        try Linter().lint(path: samples + "/projects/" + project)
    }

    @Test func eCommerceHasNoErrorLevelFinding() throws {
        let report = try Self.lint("e-commerce")
        #expect(!report.hasErrors, "\(report.findings.filter { $0.severity == .error }.map(\.description))")
        #expect(report.fileCount == 36)
    }

    @Test(arguments: ["flyway-shop", "golang-migrate-blog", "diesel-tasks", "dbmate-inventory", "sqitch-library", "flyway-safe-rewrites"])
    func everyPassingLayoutSampleHasNoErrorLevelFinding(_ sample: String) throws {
        let report = try Linter().lint(path: Self.samples + "/layouts/" + sample)
        #expect(report.fileCount > 0)
        #expect(!report.hasErrors, "\(report.findings.filter { $0.severity == .error }.map(\.description))")
    }

    @Test func flywaysMixedFileWithAConcurrentIndexIsCaught() throws {
        let report = try Linter().lint(path: Self.samples + "/layouts/broken-flyway-concurrent-index")
        let finding = try #require(report.findings.first { $0.rule == "concurrently-in-transaction" })
        #expect(finding.file.hasSuffix("V2__index_events_by_kind.sql"))
        #expect(finding.message.contains("mixed=true"))
    }

    @Test func theWholeRepositoryHasErrorsOnlyInBrokenProjects() throws {
        let report = try Linter().lint(path: Self.samples)
        #expect(report.fileCount > 0)
        #expect(report.findings.filter { $0.severity == .error }.allSatisfy { $0.suite.hasPrefix("broken-") })
    }

    @Test func aConcurrentIndexInsideBeginIsCaught() throws {
        let errors = try Self.lint("broken-concurrent-index-in-transaction").findings.filter { $0.severity == .error }
        #expect(errors.map(\.rule) == ["concurrently-in-transaction"])
        #expect(errors.first?.line == 6)
        #expect(errors.first?.message.contains("BEGIN at line 4") == true)
    }

    @Test func aColumnWithoutIfNotExistsIsCaught() throws {
        let findings = try Self.lint("broken-column-without-if-not-exists").findings
        let finding = try #require(findings.first { $0.rule == "create-without-if-not-exists" })
        #expect(finding.file.hasSuffix("V1.1.0.010__Add_customer_phone.sql"))
        #expect(finding.line == 3)
    }

    @Test func aDroppedColumnIsCaught() throws {
        let findings = try Self.lint("broken-rollback-loses-data").findings
        #expect(findings.contains { $0.rule == "drop-column" && $0.message.contains("customers.legacy_code") })
    }

    /// Each broken safety sample has one error-level finding, from the rule that names its defect, at the statement.
    @Test(arguments: [
        ("broken-flyway-type-change-rewrites", "alter-column-type", "V2__widen_order_totals.sql", 4),
        ("broken-flyway-blocking-index", "create-index-non-concurrently", "V2__index_events_by_kind.sql", 4),
        ("broken-flyway-fk-without-not-valid", "add-foreign-key", "V2__reference_order_customers.sql", 5),
        ("broken-flyway-rename-column", "rename-column", "V2__rename_customer_full_name.sql", 4),
    ])
    func eachBrokenSafetySampleFailsExactlyItsRule(_ sample: String, _ rule: String, _ file: String, _ line: Int) throws {
        let errors = try Linter().lint(path: Self.samples + "/layouts/" + sample).findings.filter { $0.severity == .error }
        #expect(errors.map(\.rule) == [rule], "\(errors.map(\.description))")
        #expect(errors.first?.file == Self.samples + "/layouts/" + sample + "/" + file)
        #expect(errors.first?.line == line)
    }
}

