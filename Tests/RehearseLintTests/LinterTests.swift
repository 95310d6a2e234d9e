import Foundation
import Testing
@testable import RehearseCore
@testable import RehearseLint

/// How the linter follows a repository's history, places findings and honours what silences them.
@Suite struct LinterTests {
    static let config = """
    metadata: {name: shop}
    spec:
      databases:
        primary: {type: postgresql}
    """

    static let install = "projects/shop/versions/v1.0.0/new-install/postgresql/schema/V1.0.0.001__Create_orders.sql"
    static let upgrade = "projects/shop/versions/v1.1.0/upgrade/from-v1.0.0/postgresql/schema-changes/V1.1.0.010__Index_orders.sql"

    @Test func anUpgradeFindsTheTablesItsOldVersionInstalled() throws {
        let repository = try TemporaryRepository([
            "projects/shop/project-config.yaml": Self.config,
            Self.install: "CREATE TABLE IF NOT EXISTS orders (id bigint PRIMARY KEY, status text);\nCREATE INDEX IF NOT EXISTS orders_status ON orders (status);\n",
            Self.upgrade: "CREATE INDEX IF NOT EXISTS orders_id_status ON orders (id, status);\n",
        ])
        defer { repository.remove() }
        let report = try Linter().lint(path: repository.path)
        // The install builds its index on a table it created itself: nothing to report.
        #expect(!report.findings.contains { $0.file.hasSuffix("V1.0.0.001__Create_orders.sql") })
        let upgrade = report.findings.filter { $0.file.hasSuffix("V1.1.0.010__Index_orders.sql") }
        #expect(Set(upgrade.map(\.rule)) == ["create-index-non-concurrently", "require-lock-timeout"])
        #expect(upgrade.allSatisfy { $0.subject == "upgrade v1.0.0 -> v1.1.0" && $0.suite == "shop/postgresql" })
        #expect(upgrade.first?.file == repository.path + "/" + Self.upgrade)
    }

    @Test func thePrimaryLayoutRequiresRerunnableScripts() throws {
        let repository = try TemporaryRepository([
            "projects/shop/project-config.yaml": Self.config,
            Self.install: "CREATE TABLE orders (id bigint);\n",
        ])
        defer { repository.remove() }
        let report = try Linter().lint(path: repository.path)
        let finding = try #require(report.findings.first)
        #expect(finding.rule == "create-without-if-not-exists")
        #expect(finding.message.contains("the primary layout promises scripts that are safe to run twice"))
        #expect(report.hasErrors)
    }

    @Test func aTableCreatedEarlierInTheSameMigrationIsNotExisting() throws {
        let fixture = try LintFixture(["CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a SET NOT NULL;\nCREATE INDEX t_a ON t (a);"])
        #expect(fixture.report.findings.isEmpty)
    }

    @Test func droppedAndRenamedTablesAreFollowed() throws {
        let fixture = try LintFixture([
            "CREATE TABLE a (x int); CREATE TABLE b (x int);",
            "DROP TABLE b;",
            "CREATE TABLE b (x int);\nCREATE INDEX b_x ON b (x);",
            "ALTER TABLE a RENAME TO c;",
            "CREATE INDEX c_x ON c (x);",
        ])
        #expect(fixture.findings(in: 2).map(\.rule).contains("drop-table"))
        #expect(!fixture.findings(in: 3).map(\.rule).contains("create-index-non-concurrently"))
        #expect(fixture.findings(in: 5).map(\.rule).contains("create-index-non-concurrently"))
    }

    @Test func anUnknownStartCountsEveryOtherTableAsExisting() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-lint-\(UUID().uuidString).sql")
        try "CREATE INDEX t_a ON t (a);".write(to: root, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: root) }
        let file = ScriptFile(url: root, displayPath: "u.sql", role: .forward, phase: "schema-changes", number: nil, summary: "")
        let subject = RehearsalSubject(
            id: .upgrade(from: SemanticVersion(major: 1, minor: 0, patch: 0), to: SemanticVersion(major: 1, minor: 1, patch: 0)),
            folder: "u", start: .unavailable(reason: "no install"), forward: [file], undo: .missing(reason: "none")
        )
        let suite = RehearsalSuite(
            name: "p", database: .postgresql, layout: "primary", displayPath: "p", subjects: [subject],
            policy: .noRules(reason: ""), isChain: false
        )
        let report = try Linter().lint(LoadedRepository(root: root, displayPath: "p", layout: "primary", suites: [suite]))
        #expect(report.findings.map(\.rule).contains("create-index-non-concurrently"))
        // A table the migration itself creates is still new.
        try "CREATE TABLE n (a int);\nCREATE INDEX n_a ON n (a);".write(to: root, atomically: true, encoding: .utf8)
        let again = try Linter().lint(LoadedRepository(root: root, displayPath: "p", layout: "primary", suites: [suite]))
        #expect(!again.findings.map(\.rule).contains("create-index-non-concurrently"))
    }

    @Test func findingsPointAtThePartAtFault() throws {
        let fixture = try LintFixture([
            "CREATE TABLE t (a int);",
            "SET lock_timeout = '1s';\n\nALTER TABLE t\n    ADD COLUMN IF NOT EXISTS b int,\n    ADD CONSTRAINT a_positive CHECK (a > 0);\n",
        ])
        let finding = try #require(fixture.findings(in: 2).first)
        #expect(finding.rule == "add-check-constraint")
        #expect((finding.line, finding.column) == (5, 9))
        #expect(finding.description.hasPrefix("db/V2__step.sql:5:9: add-check-constraint: ADD CONSTRAINT a_positive CHECK on t"))
    }

    @Test func statementsInsideADoBlockAreCheckedWhereTheyStand() throws {
        let block = """
        SET lock_timeout = '1s';
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 't_a_fkey') THEN
                ALTER TABLE t
                    ADD CONSTRAINT t_a_fkey FOREIGN KEY (a) REFERENCES u (id);
            END IF;
        END
        $$;
        """
        let fixture = try LintFixture(["CREATE TABLE t (a int); CREATE TABLE u (id int PRIMARY KEY);", block], idempotence: .always)
        let findings = fixture.findings(in: 2)
        // The guard makes it safe to re-run; the foreign key still checks every row.
        #expect(findings.map(\.rule) == ["add-foreign-key"])
        #expect(findings.map(\.line) == [6])
        #expect(findings.map(\.column) == [17])
    }

    @Test func concurrentlyInsideADoBlockRunsInATransaction() throws {
        let fixture = try LintFixture(["CREATE TABLE t (a int);", "DO $$ BEGIN CREATE INDEX CONCURRENTLY t_a ON t (a); END $$;"])
        let finding = try #require(fixture.findings(in: 2).first { $0.rule == "concurrently-in-transaction" })
        #expect(finding.message.contains("DO block"))
    }

    @Test func eachLayoutsTransactionsDecideWhereConcurrentlyFails() throws {
        let rule = "concurrently-in-transaction"
        let index = "CREATE INDEX CONCURRENTLY t_a ON t (a);"
        // golang-migrate: one statement is not a transaction block, several are.
        #expect(try !rulesBroken(by: index, execution: .singleQuery).contains(rule))
        #expect(try rulesBroken(by: "SELECT 1;\n" + index, execution: .singleQuery).contains(rule))
        // Flyway: a file of non-transactional statements only runs without a transaction; a mixed one in one.
        #expect(try !rulesBroken(by: index + "\nCREATE INDEX CONCURRENTLY t_b ON t (a);", execution: .transactionUnlessNonTransactional).contains(rule))
        let mixed = try LintFixture(["CREATE TABLE t (a int);", "UPDATE t SET a = 1;\n" + index], execution: .transactionUnlessNonTransactional)
        let finding = try #require(mixed.findings(in: 2).first { $0.rule == rule })
        #expect(finding.message.contains("mixed=true"))
    }

    @Test func anAllowCommentSilencesTheNextStatementOnly() throws {
        let sql = """
        SET lock_timeout = '1s';
        -- rehearse:allow set-not-null, add-check-constraint the table holds a few hundred rows
        -- (measured on production, 2024-05)
        ALTER TABLE t ALTER COLUMN a SET NOT NULL;

        ALTER TABLE t ALTER COLUMN b SET NOT NULL;
        """
        let fixture = try LintFixture(["CREATE TABLE t (a int, b int);", sql])
        #expect(fixture.findings(in: 2).map(\.line) == [6])
    }

    @Test func anAllowCommentBeforeADoBlockCoversItsStatements() throws {
        let sql = "SET lock_timeout = '1s';\n-- rehearse:allow add-check-constraint\nDO $$ BEGIN ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0); END $$;"
        let fixture = try LintFixture(["CREATE TABLE t (a int);", sql])
        #expect(fixture.findings(in: 2).isEmpty)
    }

    @Test func theSuitesAllowedRulesSilenceEveryStatement() throws {
        let fixture = try LintFixture(["CREATE TABLE t (a char(2), b varchar(9));"], allowed: ["char-column"])
        #expect(fixture.report.findings.map(\.rule) == ["varchar-growth"])
    }

    @Test func anAllowedNameThatIsNoRuleIsAnInputError() throws {
        #expect {
            try LintFixture(["-- rehearse:allow set-not-nul\nSELECT 1;"])
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.file == "db/V1__step.sql" && error.line == 1 && error.message.contains("did you mean `set-not-null`?")
        }
        #expect {
            try LintFixture(["SELECT 1;"], allowed: ["char"])
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.file == "db/rehearse.yaml" && error.line == 3 && error.message.contains("`char`")
        }
    }

    @Test func anUnparsableFileCanBeAllowedAtItsTop() throws {
        let fixture = try LintFixture(["-- rehearse:allow unparsable-sql: PostgreSQL 17 syntax\nMERGE INTO t USING u ON true WHEN MATCHED THEN DELETE RETURNING *;"])
        #expect(fixture.report.findings.isEmpty)
    }

    @Test func aFileThatCannotBeOpenedIsAnInputError() throws {
        let missing = ScriptFile(url: URL(fileURLWithPath: "/nonexistent/V1.sql"), displayPath: "db/V1.sql", role: .forward, phase: "f", number: nil, summary: "")
        let suite = RehearsalSuite(
            name: "db", database: .postgresql, layout: "flyway", displayPath: "db",
            subjects: [RehearsalSubject(id: .migration("V1"), folder: "db", start: .empty, forward: [missing], undo: .missing(reason: ""))],
            policy: .noRules(reason: ""), isChain: true
        )
        #expect(throws: InputError.self) {
            try Linter().lint(LoadedRepository(root: URL(fileURLWithPath: "/nonexistent"), displayPath: "db", layout: "flyway", suites: [suite]))
        }
    }

    @Test func projectConfigAllowsRulesForTheProject() throws {
        let repository = try TemporaryRepository([
            "projects/shop/project-config.yaml": Self.config + "\n  lint:\n    allow: [create-without-if-not-exists]\n",
            Self.install: "CREATE TABLE orders (id bigint);\n",
        ])
        defer { repository.remove() }
        #expect(try Linter().lint(path: repository.path).findings.isEmpty)
    }

    /// `safety` is `verify`'s measured check: an allow may name it, in a comment or the configuration, and lint
    /// must take it; every rule name the check honours is a real lint rule.
    @Test func anAllowMayNameTheSafetyCheck() throws {
        let repository = try TemporaryRepository([
            "projects/shop/project-config.yaml": Self.config + "\n  lint:\n    allow: [safety]\n",
            Self.install: "CREATE TABLE IF NOT EXISTS orders (id bigint PRIMARY KEY, status text);\n",
            Self.upgrade: "SET lock_timeout = '5s';\n-- rehearse:allow safety, create-index-non-concurrently the table stays small\nCREATE INDEX IF NOT EXISTS orders_status ON orders (status);\n",
        ])
        defer { repository.remove() }
        let report = try Linter().lint(path: repository.path)
        #expect(!report.hasErrors, "\(report.findings.map(\.description))")
        #expect(SafetyCheck.allowingRules.allSatisfy { LintRules.named($0) != nil })
        #expect(!LintRules.isAllowable("saftey"))
    }
}

