import Testing
@testable import RehearseCore

@Suite struct DbmateSourceTests {
    static let users = """
    -- migrate:up
    CREATE TABLE users (id bigint PRIMARY KEY);

    -- migrate:down
    DROP TABLE users;

    """

    @Test func bothHalvesAreSectionsOfTheSameFile() throws {
        let repo = try TemporaryRepository(["20240101120000_add_users.sql": Self.users])
        defer { repo.remove() }
        let suite = try LayoutTesting.chain(repo)
        #expect(suite.layout == "dbmate")
        let step = try #require(suite.step("20240101120000_add_users"))
        let up = try #require(step.forward.first)
        let down = try #require(step.undoFiles.first)
        #expect(up.url == down.url)
        #expect(up.displayPath == repo.path + "/20240101120000_add_users.sql")
        let bytes = Array(Self.users.utf8)
        let downStart = try #require(Self.users.range(of: "-- migrate:down")).lowerBound.utf16Offset(in: Self.users)
        #expect(up.section == 0..<downStart)
        #expect(down.section == downStart..<bytes.count)
        #expect(String(decoding: bytes[downStart...], as: UTF8.self).hasPrefix("-- migrate:down\nDROP TABLE users;"))
        #expect(up.execution == .transaction && down.execution == .transaction)
        #expect(up.role == .forward && down.role == .undo)
        #expect(up.summary == "add users")
    }

    @Test func transactionFalseTakesOneHalfOutOfItsTransaction() throws {
        let repo = try TemporaryRepository([
            "20240101000000_index.sql": """
            --   migrate:up transaction:false
            CREATE INDEX CONCURRENTLY users_email ON users (email);
            -- migrate:down
            DROP INDEX users_email;
            """,
        ])
        defer { repo.remove() }
        let step = try #require(try LayoutTesting.chain(repo).step("20240101000000_index"))
        #expect(step.forward.first?.execution == .autocommit)
        #expect(step.undoFiles.first?.execution == .transaction)
    }

    @Test func anEmptyDownIsAnUndoWithNoStatements() throws {
        let repo = try TemporaryRepository(["1_empty_down.sql": "-- migrate:up\nSELECT 1;\n-- migrate:down\n-- nothing to undo\n"])
        defer { repo.remove() }
        let step = try #require(try LayoutTesting.chain(repo).step("1_empty_down"))
        #expect(step.undoFiles.count == 1)
    }

    /// dbmate 2.0 refuses a file without `-- migrate:down` (ErrParseMissingDown). UPchieve/subway's formatter
    /// indented its markers, which dbmate then reads as comments: the error points at the indented line.
    @Test func aMissingDownMarkerIsAnErrorThatPointsAtAnIndentedOne() throws {
        let repo = try TemporaryRepository([
            "2_no_down.sql": "-- migrate:up\nSELECT 2;\n",
            "3_indented.sql": "-- migrate:up\nALTER TABLE cities\n    ADD CONSTRAINT u UNIQUE (name)\n    -- migrate:down\n    DROP CONSTRAINT u;\n",
        ])
        defer { repo.remove() }
        let errors = LayoutTesting.inputErrors { _ = try LayoutTesting.chain(repo) }
        #expect(errors.map(\.file) == ["2_no_down.sql", "3_indented.sql"].map { repo.path + "/" + $0 })
        #expect(errors.first?.line == nil)
        #expect(errors.first?.message.contains("no `-- migrate:down` line; dbmate refuses") == true)
        #expect(errors.last?.line == 4)
        #expect(errors.last?.message.contains("indented") == true)
    }

    @Test func ordersByTheNumberOfTheVersion() throws {
        let repo = try TemporaryRepository([
            "20240101120000_b.sql": "-- migrate:up\nSELECT 1;\n-- migrate:down\n",
            "20231231000000_a.sql": "-- migrate:up\nSELECT 1;\n-- migrate:down\n",
            "3_c.sql": "-- migrate:up\nSELECT 1;\n-- migrate:down\n",
            "010.sql": "-- migrate:up\nSELECT 1;\n-- migrate:down\n",
            "schema.sql": "CREATE TABLE users (id int);",
            "README.md": "notes",
        ])
        defer { repo.remove() }
        #expect(try LayoutTesting.chain(repo).ids == ["3_c", "010", "20231231000000_a", "20240101120000_b"])
    }

    @Test func malformedFilesAreErrorsNamingTheFile() throws {
        let repo = try TemporaryRepository([
            "1_good.sql": "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n",
            "2_no_marker.sql": "CREATE TABLE t (id int);\n",
            "3_down_first.sql": "-- migrate:down\nSELECT 1;\n-- migrate:up\nSELECT 1;\n",
            "4_sql_before.sql": "-- a comment is fine\n\nSELECT 0;\n-- migrate:up\nSELECT 1;\n-- migrate:down\n",
        ])
        defer { repo.remove() }
        let errors = LayoutTesting.inputErrors { _ = try LayoutTesting.chain(repo) }
        #expect(errors.map(\.file) == ["2_no_marker.sql", "3_down_first.sql", "4_sql_before.sql"].map { repo.path + "/" + $0 })
        #expect(errors.first?.message.contains("no `-- migrate:up` line") == true)
        #expect(errors.dropFirst().first?.line == 1)
        #expect(errors.last?.line == 3)
    }

    @Test func detectionNeedsTheUpMarker() throws {
        let plain = try TemporaryRepository(["20240101_add.sql": "CREATE TABLE t (id int);"])
        defer { plain.remove() }
        #expect(!DbmateSource.matches(RepositoryFolder(url: plain.root, display: "x")))
        let marked = try TemporaryRepository(["20240101_add.sql": "-- migrate:up\nCREATE TABLE t (id int);"])
        defer { marked.remove() }
        #expect(DbmateSource.matches(RepositoryFolder(url: marked.root, display: "x")))
    }

    @Test func duplicateVersionsAreAPolicyViolation() throws {
        let repo = try TemporaryRepository([
            "20240101_a.sql": "-- migrate:up\nSELECT 1;\n-- migrate:down\n",
            "020240101_b.sql": "-- migrate:up\nSELECT 1;\n-- migrate:down\n",
        ])
        defer { repo.remove() }
        let suite = try LayoutTesting.chain(repo)
        guard case let .checked(violations) = suite.policy else {
            Issue.record("expected a checked policy, got \(suite.policy)")
            return
        }
        #expect(violations.map(\.file) == [repo.path + "/20240101_a.sql"])
    }
}
