import Testing
@testable import RehearseCore

@Suite struct DieselSourceTests {
    @Test func ordersByVersionWithoutDashesInByteOrder() throws {
        let repo = try TemporaryRepository([
            "2019-01-01-000000_add_users/up.sql": "SELECT 1;",
            "2019-01-01-000000_add_users/down.sql": "SELECT 1;",
            "20190101000001_add_posts/up.sql": "SELECT 1;",
            "2018-12-31-235959_add_roles/up.sql": "SELECT 1;",
            "00000000000000_diesel_initial_setup/up.sql": "SELECT 1;",
            "00000000000000_diesel_initial_setup/down.sql": "SELECT 1;",
        ])
        defer { repo.remove() }
        let suite = try LayoutTesting.chain(repo)
        #expect(suite.layout == "diesel")
        #expect(suite.ids == [
            "00000000000000_diesel_initial_setup", "2018-12-31-235959_add_roles", "2019-01-01-000000_add_users", "20190101000001_add_posts",
        ])
        let users = try #require(suite.step("2019-01-01-000000_add_users"))
        #expect(users.folder == repo.path + "/2019-01-01-000000_add_users")
        #expect(users.forward.map(\.displayPath) == [repo.path + "/2019-01-01-000000_add_users/up.sql"])
        #expect(users.undoFiles.map(\.displayPath) == [repo.path + "/2019-01-01-000000_add_users/down.sql"])
        #expect(users.forward.first?.execution == .transaction)
        #expect(users.forward.first?.summary == "add users")
        let roles = try #require(suite.step("2018-12-31-235959_add_roles"))
        #expect(roles.undo == .missing(reason: "no down migration (expected \(repo.path)/2018-12-31-235959_add_roles/down.sql)"))
    }

    @Test func metadataTomlCanTakeTheMigrationOutOfItsTransaction() throws {
        let repo = try TemporaryRepository([
            "2020-01-01-000000_index/up.sql": "CREATE INDEX CONCURRENTLY i ON t (c);",
            "2020-01-01-000000_index/down.sql": "DROP INDEX CONCURRENTLY i;",
            "2020-01-01-000000_index/metadata.toml": "# why: concurrent index\nrun_in_transaction = false # must\n",
            "2020-01-02-000000_plain/up.sql": "SELECT 1;",
            "2020-01-02-000000_plain/metadata.toml": "run_in_transaction = true\n",
        ])
        defer { repo.remove() }
        let suite = try LayoutTesting.chain(repo)
        #expect(suite.step("2020-01-01-000000_index")?.forward.first?.execution == .autocommit)
        #expect(suite.step("2020-01-01-000000_index")?.undoFiles.first?.execution == .autocommit)
        #expect(suite.step("2020-01-02-000000_plain")?.forward.first?.execution == .transaction)
    }

    @Test func aBadMetadataValueNamesItsLine() throws {
        let repo = try TemporaryRepository([
            "2020-01-01-000000_a/up.sql": "SELECT 1;",
            "2020-01-01-000000_a/metadata.toml": "\nrun_in_transaction = \"no\"\n",
        ])
        defer { repo.remove() }
        let error = #expect(throws: InputError.self) { try LayoutTesting.chain(repo) }
        #expect(error?.file == repo.path + "/2020-01-01-000000_a/metadata.toml")
        #expect(error?.line == 2)
    }

    @Test func aMigrationFolderWithoutUpIsAnError() throws {
        let repo = try TemporaryRepository([
            "2020-01-01-000000_a/up.sql": "SELECT 1;",
            "2020-01-02-000000_b/down.sql": "SELECT 1;",
            "2020/notes.md": "a year folder",
            "fixtures/users.sql": "SELECT 1;",
            "diesel.toml": "[print_schema]",
        ])
        defer { repo.remove() }
        let errors = LayoutTesting.inputErrors { _ = try LayoutTesting.chain(repo) }
        #expect(errors.map(\.file) == [repo.path + "/2020", repo.path + "/2020-01-02-000000_b"])
        #expect(errors.last?.message.contains("holds no up.sql") == true)
        #expect(errors.first?.message.contains("expected <version>_<name>/") == true)
    }

    @Test func otherFoldersAndFilesAreIgnored() throws {
        let repo = try TemporaryRepository([
            "2020-01-01-000000_a/up.sql": "SELECT 1;",
            "2020-01-01-000000_a/README.md": "notes",
            "fixtures/users.sql": "SELECT 1;",
            ".git/HEAD": "ref",
            "diesel.toml": "[print_schema]",
        ])
        defer { repo.remove() }
        #expect(try LayoutTesting.chain(repo).ids == ["2020-01-01-000000_a"])
    }

    @Test func duplicateVersionsAreAPolicyViolation() throws {
        let repo = try TemporaryRepository([
            "2020-01-01-000000_a/up.sql": "SELECT 1;",
            "20200101000000_b/up.sql": "SELECT 1;",
        ])
        defer { repo.remove() }
        let suite = try LayoutTesting.chain(repo)
        #expect(suite.ids == ["2020-01-01-000000_a", "20200101000000_b"])
        guard case let .checked(violations) = suite.policy else {
            Issue.record("expected a checked policy, got \(suite.policy)")
            return
        }
        #expect(violations.map(\.file) == [repo.path + "/20200101000000_b"])
    }
}
