import Foundation
import Testing
import RehearseCore
@testable import RehearsePostgres

@Suite struct PostgresScriptParserTests {
    let parser = PostgresScriptParser()

    private func split(_ sql: String) throws -> [ScriptStatement] {
        try parser.statements(in: Array(sql.utf8), file: "db/V1.0.0.001__test.sql")
    }

    private func inputError(_ sql: String) -> InputError? {
        do {
            _ = try split(sql)
            return nil
        } catch let error as InputError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func splitsStatementsWithLinesAndColumns() throws {
        let statements = try split("CREATE TABLE a (id int);\n\n  INSERT INTO a VALUES (1);\nSELECT 1")
        #expect(statements.map(\.text) == ["CREATE TABLE a (id int)", "INSERT INTO a VALUES (1)", "SELECT 1"])
        #expect(statements.map(\.line) == [1, 3, 4])
        #expect(statements.map(\.column) == [1, 3, 1])
    }

    @Test func dollarQuotedBodiesKeepTheirSemicolons() throws {
        let sql = """
        CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$
        BEGIN
          PERFORM 1; PERFORM 2;
          RETURN 3;
        END;
        $body$;
        DO $$ BEGIN RAISE NOTICE 'a;b'; END $$;
        """
        let statements = try split(sql)
        #expect(statements.count == 2)
        #expect(statements[0].text.hasSuffix("$body$"))
        #expect(statements[0].text.contains("RETURN 3;"))
        #expect(statements[1].line == 7)
        #expect(statements[1].text == "DO $$ BEGIN RAISE NOTICE 'a;b'; END $$")
    }

    @Test func commentsBeforeAStatementAreSkipped() throws {
        let sql = "-- header; not a statement\n/* block; /* nested; */ still comment */\n   SELECT 1; -- trailing\n-- the end\n"
        let statements = try split(sql)
        #expect(statements.count == 1)
        #expect(statements[0].text == "SELECT 1")
        #expect(statements[0].line == 3)
        #expect(statements[0].column == 4)
    }

    @Test func transactionBlocksAreSeparateStatements() throws {
        let statements = try split("BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\n")
        #expect(statements.map(\.text) == ["BEGIN", "CREATE TABLE t (id int)", "COMMIT"])
        #expect(PostgresScriptParser.isTransactionControl("BEGIN"))
        #expect(PostgresScriptParser.isTransactionControl("commit"))
        #expect(PostgresScriptParser.isTransactionControl("SAVEPOINT s"))
        #expect(!PostgresScriptParser.isTransactionControl("SELECT 1"))
        #expect(!PostgresScriptParser.isTransactionControl("PREPARE q AS SELECT 1"))
    }

    @Test func aFileWrappedInItsOwnTransactionIsToldFromTheParseTree() throws {
        func wraps(_ sql: String) throws -> Bool {
            try parser.prepare(Array(sql.utf8), file: Self.file(role: .forward)).wrapsItselfInTransaction
        }
        #expect(try wraps("-- deploy\nbegin;\nCREATE TABLE t (id int);\nend;\n"))
        #expect(try wraps("START TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nSELECT 1;\nCOMMIT;"))
        #expect(try !wraps("BEGIN;\nCREATE TABLE t (id int);\nROLLBACK;\n"))
        #expect(try !wraps("SELECT 1;\nBEGIN;\nSELECT 2;\nCOMMIT;\n"))
        #expect(try !wraps("BEGIN;\nSELEC 1;\nCOMMIT;\n"))
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let statements = try split("SELECT 'ééé'; SELECT 'ü';\n  /* ñ */ SELECT 2;")
        #expect(statements.map(\.column) == [1, 15, 11])
        #expect(statements.map(\.line) == [1, 1, 2])
        #expect(statements[1].text == "SELECT 'ü'")
    }

    @Test func emptyAndCommentOnlyFilesHaveNoStatements() throws {
        #expect(try split("").isEmpty)
        #expect(try split("\n  \n").isEmpty)
        #expect(try split("-- nothing to do yet\n/* really */\n;\n").isEmpty)
    }

    @Test func metaCommandsAreRejectedWithTheirPosition() throws {
        let error = try #require(inputError("SELECT 1;\n\\set ON_ERROR_STOP on\nSELECT 2;\n"))
        #expect(error.file == "db/V1.0.0.001__test.sql")
        #expect(error.line == 2)
        #expect(error.column == 1)
        #expect(error.message.contains("\\set"))
        #expect(error.message.contains("not supported"))
        #expect(error.message.contains("plain SQL"))

        let include = try #require(inputError("  \\i other.sql\n"))
        #expect(include.line == 1 && include.column == 3)
        #expect(include.message.contains("\\i"))
    }

    @Test func inlineCopyDataIsExplained() throws {
        let error = try #require(inputError("CREATE TABLE t (id int, name text);\nCOPY t FROM stdin;\n1\tAda\n\\.\n"))
        #expect(error.line == 4 && error.column == 1)
        #expect(error.message.contains("inline COPY data"))
    }

    @Test func backslashesInsideLiteralsAreNotMetaCommands() throws {
        let sql = """
        SELECT E'line\\\\ntwo', 'C:\\path', $$
        \\not a command$$, "odd\\name";
        -- \\comment
        """
        let statements = try split(sql)
        #expect(statements.count == 1)
    }

    @Test func aFileThatDoesNotParseBecomesOneStatementForTheServer() throws {
        let sql = "-- header\nSELECT 'ä';\nCREATE TABLE t (id int);\nSELEC 2;\n\n"
        let script = try parser.prepare(Array(sql.utf8), file: Self.file(role: .forward))
        #expect(script.statements.count == 1)
        #expect(script.statements[0].text == "SELECT 'ä';\nCREATE TABLE t (id int);\nSELEC 2;")
        #expect(script.statements[0].line == 2 && script.statements[0].column == 1)
        #expect(script.statements[0].objects.isEmpty)
        #expect(script.unsplittable == "syntax error at or near \"SELEC\" at line 4, column 1")
        #expect(!script.isEmpty)

        let inLine = try parser.prepare(Array("SELECT 'ééé', 1 +;".utf8), file: Self.file(role: .forward))
        #expect(inLine.unsplittable == "syntax error at or near \";\" at line 1, column 18")

        let fine = try parser.prepare(Array("SELECT 1;".utf8), file: Self.file(role: .forward))
        #expect(fine.unsplittable == nil)
        #expect(try parser.prepare(Array("-- nothing\n".utf8), file: Self.file(role: .forward)).isEmpty)
    }

    private static func file(role: ScriptFile.Role) -> ScriptFile {
        ScriptFile(url: URL(fileURLWithPath: "/nonexistent/dump.sql"), displayPath: "db/dump.sql", role: role, phase: "", number: nil, summary: "")
    }

    @Test func baselinesMayHoldPgDumpRestrictLines() throws {
        let dump = "\\restrict Qx7Bf2\n\nSET statement_timeout = 0;\nCREATE TABLE t (id int);\n\n\\unrestrict Qx7Bf2\n"
        let script = try parser.prepare(Array(dump.utf8), file: Self.file(role: .baseline))
        #expect(script.statements.map(\.text) == ["SET statement_timeout = 0", "CREATE TABLE t (id int)"])
        #expect(script.statements.map(\.line) == [3, 4])

        // Only in a baseline, and only those two commands.
        #expect(throws: InputError.self) { try parser.prepare(Array(dump.utf8), file: Self.file(role: .forward)) }
        let other = "\\restrict Qx7Bf2\nSELECT 1;\n\\connect other\n"
        let error = try #require(inputError(for: other, role: .baseline))
        #expect(error.line == 3)
        #expect(error.message.contains("\\connect"))
    }

    private func inputError(for sql: String, role: ScriptFile.Role) -> InputError? {
        do {
            _ = try parser.prepare(Array(sql.utf8), file: Self.file(role: role))
            Issue.record("expected an InputError")
        } catch let error as InputError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return nil
    }

    @Test func nulBytesAreInputErrors() throws {
        let error = try #require(inputError(for: "SELECT 1;\nSELECT '\u{0}';", role: .forward))
        #expect(error.line == 2 && error.column == 9)
        #expect(error.message.contains("NUL"))
    }

    @Test func nonUTF8FilesAreInputErrors() throws {
        var bytes = Array("SELECT 1;\nSELECT '".utf8)
        bytes += [0xE9, 0x27, 0x3B]
        #expect(throws: InputError.self) { try parser.statements(in: bytes, file: "latin1.sql") }
        do {
            _ = try parser.statements(in: bytes, file: "latin1.sql")
        } catch let error as InputError {
            #expect(error.line == 2)
            #expect(error.column == 9)
            #expect(error.message.contains("UTF-8"))
        }
    }

    @Test func readsTheFileAndReportsItsDisplayPath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-parser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("V1.0.0.001__init.sql")
        try Data("\u{FEFF}CREATE TABLE t (id int);\n".utf8).write(to: url)
        let file = ScriptFile(url: url, displayPath: "projects/p/V1.0.0.001__init.sql", role: .forward, phase: "schema", number: nil, summary: "init")
        let script = try parser.prepare(file)
        #expect(script.statements.map(\.text) == ["CREATE TABLE t (id int)"])
        #expect(script.statements.map(\.line) == [1] && script.statements.map(\.column) == [1])

        let missing = ScriptFile(url: directory.appendingPathComponent("absent.sql"), displayPath: "absent.sql", role: .forward, phase: "schema", number: nil, summary: "")
        #expect(throws: InputError.self) { try parser.prepare(missing) }
    }

    @Test func serverPositionsMapOntoTheFile() {
        let statement = ScriptStatement(text: "INSERT INTO t\n  VALUES ('é', nope)", line: 4, column: 3)
        #expect(statement.location(ofCharacter: 1) == (4, 3))
        #expect(statement.location(ofCharacter: 8) == (4, 10))
        let nope = statement.text.unicodeScalars.count - 4 + 1 - 1
        #expect(statement.location(ofCharacter: nope) == (5, 16))
    }
}
