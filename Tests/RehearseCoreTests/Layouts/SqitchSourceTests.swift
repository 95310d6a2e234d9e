import Testing
@testable import RehearseCore

@Suite struct SqitchSourceTests {
    static let plan = """
    %syntax-version=1.0.0
    %project=library
    %uri=https://example.com/library/

    appschema 2024-01-01T10:00:00Z Ada Lovelace <ada@example.com> # Add the schema.
    books [appschema] 2024-01-02T10:00:00Z Ada Lovelace <ada@example.com> # Books.
    @v1.0 2024-01-03T10:00:00Z Ada Lovelace <ada@example.com> # First release.

    loans [books !old_loans] 2024-01-04T10:00:00Z Ada Lovelace <ada@example.com> # Loans.
    books [books@v1.0 appschema] 2024-01-05T10:00:00Z Ada Lovelace <ada@example.com> # Add isbn.
    """

    static func files(plan: String = plan) -> [String: String] {
        var files = ["sqitch.plan": plan, "sqitch.conf": "[core]\n\tengine = pg\n"]
        for change in ["appschema", "books@v1.0", "loans", "books"] {
            files["deploy/\(change).sql"] = "BEGIN; SELECT 1; COMMIT;"
            files["revert/\(change).sql"] = "BEGIN; SELECT 1; COMMIT;"
            files["verify/\(change).sql"] = "SELECT 1;"
        }
        return files
    }

    @Test func followsThePlanWithReworkedChangesNamedAfterTheirTag() throws {
        let repo = try TemporaryRepository(Self.files())
        defer { repo.remove() }
        let suite = try LayoutTesting.chain(repo)
        #expect(suite.layout == "sqitch")
        #expect(suite.name == "library")
        #expect(suite.ids == ["appschema", "books@v1.0", "loans", "books"])
        let old = try #require(suite.step("books@v1.0"))
        #expect(old.forward.map(\.displayPath) == [repo.path + "/deploy/books@v1.0.sql"])
        #expect(old.undoFiles.map(\.displayPath) == [repo.path + "/revert/books@v1.0.sql"])
        #expect(old.validators.map(\.displayPath) == [repo.path + "/verify/books@v1.0.sql"])
        let books = try #require(suite.step("books"))
        #expect(books.start == .resultOf(.migration("loans")))
        #expect(books.forward.map(\.displayPath) == [repo.path + "/deploy/books.sql"])
        #expect(books.forward.first?.execution == .autocommit)
        #expect(books.undoFiles.first?.execution == .autocommit)
        #expect(books.validators.first?.role == .verify)
        #expect(books.validators.first?.execution == .autocommit)
    }

    @Test func rehearseYamlNameWinsOverTheProject() throws {
        var files = Self.files()
        files["rehearse.yaml"] = "name: catalogue\n"
        let repo = try TemporaryRepository(files)
        defer { repo.remove() }
        #expect(try LayoutTesting.chain(repo).name == "catalogue")
    }

    @Test func missingRevertAndVerifyAreAllowedButNotDeploy() throws {
        var files = Self.files()
        files["revert/loans.sql"] = nil
        files["verify/loans.sql"] = nil
        let repo = try TemporaryRepository(files)
        defer { repo.remove() }
        let loans = try #require(try LayoutTesting.chain(repo).step("loans"))
        #expect(loans.undo == .missing(reason: "no down migration (expected \(repo.path)/revert/loans.sql)"))
        #expect(loans.validators.isEmpty)

        files["deploy/loans.sql"] = nil
        let broken = try TemporaryRepository(files)
        defer { broken.remove() }
        let error = #expect(throws: InputError.self) { try LayoutTesting.chain(broken) }
        #expect(error?.file == broken.path + "/sqitch.plan")
        #expect(error?.line == 9)
        #expect(error?.message.contains("expected \(broken.path)/deploy/loans.sql") == true)
    }

    @Test func aRequirementPlannedLaterIsAnError() throws {
        let plan = """
        %project=library
        books [authors] 2024-01-02T10:00:00Z Ada <ada@example.com>
        authors 2024-01-01T10:00:00Z Ada <ada@example.com>
        """
        let error = #expect(throws: InputError.self) { try SqitchPlan.parse(plan, file: "sqitch.plan") }
        #expect(error?.file == "sqitch.plan")
        #expect(error?.line == 2)
        #expect(error?.message.contains("requires `authors`, which is not planned before it") == true)
    }

    @Test func requirementsMayNameTagsChangesAtTagsAndOtherProjects() throws {
        let plan = try SqitchPlan.parse("""
        a 2024-01-01T10:00:00Z Ada <ada@example.com>
        @v1 2024-01-01T10:00:00Z Ada <ada@example.com>
        b [a@v1 @v1 other:thing !gone] 2024-01-01T10:00:00Z Ada <ada@example.com> # note [not deps]
        """, file: "sqitch.plan")
        #expect(plan.changes.map(\.name) == ["a", "b"])
        #expect(plan.changes[1].requires == ["a@v1", "@v1", "other:thing"])
        #expect(plan.changes[0].tags == ["v1"])
        #expect(throws: InputError.self) {
            try SqitchPlan.parse("a 2024-01-01T10:00:00Z A <a@x>\nb [a@v2] 2024-01-01T10:00:00Z A <a@x>\n", file: "sqitch.plan")
        }
    }

    @Test func malformedPlansNameTheLine() {
        func error(_ plan: String) -> InputError? {
            #expect(throws: InputError.self) { try SqitchPlan.parse(plan, file: "sqitch.plan") }
        }
        #expect(error("@v1 2024-01-01T10:00:00Z A <a@x>\n")?.message.contains("before any change") == true)
        #expect(error("a 2024-01-01T10:00:00Z A <a@x>\na 2024-01-02T10:00:00Z A <a@x>\n")?.message.contains("without a tag in between") == true)
        let noDate = error("%project=x\n\na Ada <a@x>\n")
        #expect(noDate?.line == 3)
        #expect(noDate?.message.contains("no planned-at timestamp") == true)
        #expect(error("a [b 2024-01-01T10:00:00Z A <a@x>\n")?.message.contains("no closing `]`") == true)
    }

    @Test func reworkUsesTheFirstFollowingTagWhoseScriptExists() throws {
        let plan = """
        %project=p
        users 2024-01-01T10:00:00Z A <a@x>
        @alpha 2024-01-02T10:00:00Z A <a@x>
        other 2024-01-02T11:00:00Z A <a@x>
        @beta 2024-01-03T10:00:00Z A <a@x>
        users [users@beta] 2024-01-04T10:00:00Z A <a@x>
        """
        let repo = try TemporaryRepository([
            "sqitch.plan": plan, "deploy/users@beta.sql": "SELECT 1;", "deploy/other.sql": "SELECT 1;", "deploy/users.sql": "SELECT 1;",
        ])
        defer { repo.remove() }
        #expect(try LayoutTesting.chain(repo).ids == ["users@beta", "other", "users"])
    }

    @Test func sqitchConfMovesThePlanAndScripts() throws {
        let repo = try TemporaryRepository([
            "sqitch.plan": "%project=moved\n",
            "sqitch.conf": "[core]\n    engine = pg\n    top_dir = db\n[engine \"pg\"]\n    plan_file = db/real.plan\n",
            "db/real.plan": "%project=real\nschema/users 2024-01-01T10:00:00Z A <a@x>\n",
            "db/deploy/schema/users.sql": "SELECT 1;",
            "db/verify/schema/users.sql": "SELECT 1;",
        ])
        defer { repo.remove() }
        let suite = try LayoutTesting.chain(repo)
        #expect(suite.name == "real")
        #expect(suite.ids == ["schema/users"])
        #expect(suite.step("schema/users")?.forward.first?.displayPath == repo.path + "/db/deploy/schema/users.sql")
        #expect(suite.step("schema/users")?.validators.count == 1)
    }

    @Test func onlyThePostgreSQLEngineIsRehearsed() throws {
        var files = Self.files()
        files["sqitch.conf"] = "# project settings\n[core]\n\tengine = mysql\n"
        let repo = try TemporaryRepository(files)
        defer { repo.remove() }
        let error = #expect(throws: InputError.self) { try LayoutTesting.chain(repo) }
        #expect(error?.file == repo.path + "/sqitch.conf")
        #expect(error?.line == 3)
        #expect(error?.message.contains("engine = mysql") == true)
        #expect(error?.message.contains("PostgreSQL only") == true)
    }
}
