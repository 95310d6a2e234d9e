import Testing
@testable import RehearseCore

@Suite struct FlywaySourceTests {
    @Test func versionsCompareAsFlywayComparesThem() throws {
        func version(_ text: String) throws -> FlywaySource.Version { try #require(FlywaySource.Version(text)) }
        #expect(try version("1.10") > version("1.9"))
        #expect(try version("1") == version("1.0"))
        #expect(try version("1.0.0") == version("001"))
        #expect(try version("1_1") == version("1.1"))
        #expect(try version("2") > version("1.999"))
        #expect(try version("20240101120000") > version("9"))
        #expect(try version("1.0").canonical == "1")
        #expect(try version("01.10").canonical == "1.10")
        #expect(FlywaySource.Version("1..2") == nil)
        #expect(FlywaySource.Version("1.a") == nil)
        #expect(FlywaySource.Version("") == nil)
    }

    @Test func ordersByVersionThenRepeatablesByDescription() throws {
        let repo = try TemporaryRepository([
            "V1.10__ten.sql": "SELECT 1;",
            "V1.9__nine.sql": "SELECT 1;",
            "V1_1__one_one.sql": "SELECT 1;",
            "V2__two.sql": "SELECT 1;",
            "V1__one.sql": "SELECT 1;",
            "R__views.sql": "SELECT 1;",
            "R__functions.sql": "SELECT 1;",
            "nested/V1.5__nested.sql": "SELECT 1;",
        ])
        defer { repo.remove() }
        let suite = try LayoutTesting.chain(repo)
        #expect(suite.layout == "flyway")
        #expect(suite.isChain)
        #expect(suite.ids == ["V1__one", "V1_1__one_one", "V1.5__nested", "V1.9__nine", "V1.10__ten", "V2__two", "R__functions", "R__views"])
        #expect(suite.subjects.first?.start == .empty)
        #expect(suite.step("V1_1__one_one")?.start == .resultOf(.migration("V1__one")))
        #expect(suite.step("R__views")?.idempotence == .always)
        #expect(suite.step("V2__two")?.idempotence == .outsideTransaction)
        #expect(suite.step("V1.5__nested")?.forward.first?.displayPath == repo.path + "/nested/V1.5__nested.sql")
        #expect(suite.step("V2__two")?.forward.first?.summary == "two")
    }

    @Test func undoFilesPairWithTheirVersion() throws {
        let repo = try TemporaryRepository([
            "V1__customers.sql": "CREATE TABLE customers (id int);",
            "U1__customers.sql": "DROP TABLE customers;",
            "V2__orders.sql": "CREATE TABLE orders (id int);",
            "V3__add_email.sql": "ALTER TABLE customers ADD email text;",
            "U3.0__add_email.sql": "ALTER TABLE customers DROP email;",
        ])
        defer { repo.remove() }
        let suite = try LayoutTesting.chain(repo)
        #expect(suite.step("V1__customers")?.undoFiles.map(\.fileName) == ["U1__customers.sql"])
        #expect(suite.step("V1__customers")?.undoFiles.first?.role == .undo)
        #expect(suite.step("V3__add_email")?.undoFiles.map(\.fileName) == ["U3.0__add_email.sql"])
        let orders = try #require(suite.step("V2__orders"))
        #expect(orders.undo == .missing(reason: "no down migration (expected \(repo.path)/U2__orders.sql)"))
        #expect(orders.undoLocation == repo.path + "/U2__orders.sql")
    }

    @Test func executionModesFollowConfAndInFileSettings() throws {
        let repo = try TemporaryRepository([
            "V1__table.sql": "CREATE TABLE t (c int);",
            "V2__index.sql": "CREATE INDEX CONCURRENTLY t_c ON t (c);",
            "V2__index.sql.conf": "# run outside a transaction\nexecuteInTransaction = false\n",
            "U2__index.sql": "DROP INDEX CONCURRENTLY t_c;",
            "U2__index.sql.conf": "executeInTransaction=false\n",
            "V3__other.sql": "-- flyway:executeInTransaction=false\nCREATE INDEX CONCURRENTLY t_c2 ON t (c);",
            "V4__explicit.sql": "SELECT 1;",
            "V4__explicit.sql.conf": "executeInTransaction=true\n",
        ])
        defer { repo.remove() }
        let suite = try LayoutTesting.chain(repo)
        #expect(suite.ids == ["V1__table", "V2__index", "V3__other", "V4__explicit"])
        #expect(suite.step("V1__table")?.forward.first?.execution == .transactionUnlessNonTransactional)
        #expect(suite.step("V2__index")?.forward.first?.execution == .autocommit)
        #expect(suite.step("V2__index")?.undoFiles.first?.execution == .autocommit)
        #expect(suite.step("V3__other")?.forward.first?.execution == .autocommit)
        #expect(suite.step("V4__explicit")?.forward.first?.execution == .transactionUnlessNonTransactional)
    }

    @Test func aBadConfValueNamesItsLine() throws {
        let repo = try TemporaryRepository(["V1__a.sql": "SELECT 1;", "V1__a.sql.conf": "\nexecuteInTransaction=no\n"])
        defer { repo.remove() }
        let error = #expect(throws: InputError.self) { try LayoutTesting.chain(repo) }
        #expect(error?.file == repo.path + "/V1__a.sql.conf")
        #expect(error?.line == 2)
    }

    @Test func aBaselineIsComparedOnTheStepOfItsVersion() throws {
        let repo = try TemporaryRepository([
            "V1__customers.sql": "CREATE TABLE customers (id int);",
            "V2__orders.sql": "CREATE TABLE orders (id int);",
            "V3__email.sql": "ALTER TABLE customers ADD email text;",
            "B2.0__baseline.sql": "CREATE TABLE customers (id int); CREATE TABLE orders (id int);",
        ])
        defer { repo.remove() }
        let suite = try LayoutTesting.chain(repo)
        #expect(suite.ids == ["V1__customers", "V2__orders", "V3__email"])
        guard case let .scripts(files, label)? = suite.step("V2__orders")?.equivalence else {
            Issue.record("V2__orders has no baseline to compare with")
            return
        }
        #expect(files.map(\.fileName) == ["B2.0__baseline.sql"])
        #expect(files.first?.role == .baseline)
        #expect(label == "baseline \(repo.path)/B2.0__baseline.sql")
        #expect(suite.step("V3__email")?.equivalence == .notPlanned)
        #expect(suite.step("V1__customers")?.equivalence == .notPlanned)
    }

    @Test func aBaselineWithoutItsVersionIsAnError() throws {
        let repo = try TemporaryRepository(["V1__a.sql": "SELECT 1;", "B5__baseline.sql": "SELECT 1;"])
        defer { repo.remove() }
        let error = #expect(throws: InputError.self) { try LayoutTesting.chain(repo) }
        #expect(error?.file == repo.path + "/B5__baseline.sql")
    }

    @Test func twoFilesWithOneVersionAreAPolicyViolationAndBothRun() throws {
        let repo = try TemporaryRepository([
            "V1__a.sql": "SELECT 1;",
            "V1.0__b.sql": "SELECT 2;",
            "V2__c.sql": "SELECT 3;",
        ])
        defer { repo.remove() }
        let suite = try LayoutTesting.chain(repo)
        #expect(suite.ids == ["V1.0__b", "V1__a", "V2__c"])
        guard case let .checked(violations) = suite.policy else {
            Issue.record("expected a checked policy, got \(suite.policy)")
            return
        }
        #expect(violations.count == 1)
        #expect(violations.first?.file == repo.path + "/V1__a.sql")
        #expect(violations.first?.message.contains("as \(repo.path)/V1.0__b.sql has") == true)
    }

    @Test func malformedNamesAreErrorsNamingTheFileAndTheForm() throws {
        let repo = try TemporaryRepository([
            "V1__good.sql": "SELECT 1;",
            "V1_x.sql": "",
            "V__x.sql": "",
            "Vabc__x.sql": "",
            "v2__lower.sql": "",
            "R1__versioned_repeatable.sql": "",
        ])
        defer { repo.remove() }
        let errors = LayoutTesting.inputErrors { _ = try LayoutTesting.chain(repo) }
        let byFile = Dictionary(uniqueKeysWithValues: errors.map { (($0.file ?? "").split(separator: "/").last.map(String.init) ?? "", $0.message) })
        #expect(byFile.keys.sorted() == ["R1__versioned_repeatable.sql", "V1_x.sql", "V__x.sql", "Vabc__x.sql", "v2__lower.sql"])
        #expect(byFile["V1_x.sql"]?.contains("two underscores; expected V<version>__<description>.sql") == true)
        #expect(byFile["V__x.sql"]?.contains("has no version; expected V<version>__<description>.sql") == true)
        #expect(byFile["Vabc__x.sql"]?.contains("has version `abc`") == true)
        #expect(byFile["v2__lower.sql"]?.contains("upper-case `V`") == true)
        #expect(byFile["R1__versioned_repeatable.sql"]?.contains("expected R__<description>.sql") == true)
    }

    @Test func undoWithoutItsVersionIsAnError() throws {
        let repo = try TemporaryRepository(["V1__a.sql": "SELECT 1;", "U2__b.sql": "SELECT 1;"])
        defer { repo.remove() }
        let error = #expect(throws: InputError.self) { try LayoutTesting.chain(repo) }
        #expect(error?.file == repo.path + "/U2__b.sql")
        #expect(error?.message.contains("no V2__<desc>.sql has that version") == true)
    }

    @Test func filesFlywayDoesNotReadAreIgnored() throws {
        let repo = try TemporaryRepository([
            "V1__a.sql": "SELECT 1;",
            "README.md": "# notes",
            "Views.sql": "SELECT 1;",
            "seed.sql": "SELECT 1;",
            ".hidden/V9__x.sql": "SELECT 1;",
            ".V8__y.sql": "SELECT 1;",
            "notes.txt": "V2__b",
            "V1__a.sql.conf": "executeInTransaction=true",
            "rehearse.yaml": "name: shop",
        ])
        defer { repo.remove() }
        let suite = try LayoutTesting.chain(repo)
        #expect(suite.ids == ["V1__a"])
        #expect(suite.name == "shop")
    }

    @Test func requireRollbackSparesRepeatables() throws {
        let repo = try TemporaryRepository([
            "V1__a.sql": "SELECT 1;",
            "U1__a.sql": "SELECT 1;",
            "V2__b.sql": "SELECT 1;",
            "R__views.sql": "SELECT 1;",
            "rehearse.yaml": "policies: {require_rollback: true}",
        ])
        defer { repo.remove() }
        let suite = try LayoutTesting.chain(repo)
        guard case let .checked(violations) = suite.policy else {
            Issue.record("expected a checked policy, got \(suite.policy)")
            return
        }
        #expect(violations.map(\.file) == [repo.path + "/V2__b.sql"])
    }
}
