import Testing
@testable import RehearseCore

@Suite struct GolangMigrateSourceTests {
    @Test func ordersNumericallyWithIdsAsWritten() throws {
        let repo = try TemporaryRepository([
            "10_ten.up.sql": "SELECT 10;",
            "10_ten.down.sql": "SELECT -10;",
            "9_nine.up.sql": "SELECT 9;",
            "9_nine.down.sql": "SELECT -9;",
            "000011_add_users.up.sql": "SELECT 11;",
            "1_one.up.sql": "SELECT 1;",
        ])
        defer { repo.remove() }
        let suite = try LayoutTesting.chain(repo)
        #expect(suite.layout == "golang-migrate")
        #expect(suite.ids == ["1_one", "9_nine", "10_ten", "000011_add_users"])
        let ten = try #require(suite.step("10_ten"))
        #expect(ten.start == .resultOf(.migration("9_nine")))
        #expect(ten.forward.map(\.displayPath) == [repo.path + "/10_ten.up.sql"])
        #expect(ten.undoFiles.map(\.displayPath) == [repo.path + "/10_ten.down.sql"])
        #expect(ten.forward.first?.execution == .singleQuery)
        #expect(ten.undoFiles.first?.execution == .singleQuery)
        #expect(suite.step("000011_add_users")?.forward.first?.summary == "add users")
    }

    @Test func aMissingDownIsNamedWhereItShouldBe() throws {
        let repo = try TemporaryRepository(["000013_add_users.up.sql": "CREATE TABLE users (id int);"])
        defer { repo.remove() }
        let step = try #require(try LayoutTesting.chain(repo).step("000013_add_users"))
        #expect(step.undo == .missing(reason: "no down migration (expected \(repo.path)/000013_add_users.down.sql)"))
    }

    @Test func multiStatementRunsStatementByStatement() throws {
        let repo = try TemporaryRepository([
            "1_a.up.sql": "SELECT 1; SELECT 2;",
            "1_a.down.sql": "SELECT 3;",
            "rehearse.yaml": "golang-migrate:\n  multi_statement: true\n",
        ])
        defer { repo.remove() }
        let step = try #require(try LayoutTesting.chain(repo).step("1_a"))
        #expect(step.forward.first?.execution == .autocommit)
        #expect(step.undoFiles.first?.execution == .autocommit)
    }

    @Test func malformedFilesAreErrorsNamingTheFile() throws {
        let repo = try TemporaryRepository([
            "1_a.up.sql": "SELECT 1;",
            "001_b.up.sql": "SELECT 1;",
            "2_orphan.down.sql": "SELECT 1;",
            "3_x.sql": "SELECT 1;",
            "x.up.sql": "SELECT 1;",
            "seed.sql": "SELECT 1;",
            "README.md": "notes",
        ])
        defer { repo.remove() }
        let errors = LayoutTesting.inputErrors { _ = try LayoutTesting.chain(repo) }
        let byFile = Dictionary(uniqueKeysWithValues: errors.map { (($0.file ?? "").split(separator: "/").last.map(String.init) ?? "", $0.message) })
        #expect(byFile.keys.sorted() == ["1_a.up.sql", "2_orphan.down.sql", "3_x.sql", "x.up.sql"])
        #expect(byFile["1_a.up.sql"]?.contains("has number 1, as \(repo.path)/001_b.up.sql has") == true)
        #expect(byFile["2_orphan.down.sql"]?.contains("down migration without an up; expected 2_orphan.up.sql") == true)
        #expect(byFile["3_x.sql"]?.contains("expected <N>_<name>.up.sql or <N>_<name>.down.sql") == true)
        #expect(byFile["x.up.sql"]?.contains("does not start with a number") == true)
    }

    @Test func numbersCompareAsNumbersOfAnyLength() throws {
        func number(_ text: String) throws -> GolangMigrateSource.Number { try #require(GolangMigrateSource.Number(text)) }
        #expect(try number("10") > number("9"))
        #expect(try number("000013") == number("13"))
        #expect(try number("99999999999999999999999") > number("20240101120000"))
        #expect(GolangMigrateSource.Number("1a") == nil)
    }
}
