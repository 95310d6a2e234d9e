import Foundation
import Testing
import RehearseCore
@testable import RehearsePostgres

/// Big scripts split into the same statements, at the same places, as small ones; the parts rewritten for them
/// (one pass for positions, per-statement trees, the first word) are checked on their own.
@Suite struct PostgresScriptParserBigFileTests {
    private func split(_ sql: String) throws -> [ScriptStatement] {
        try PostgresScriptParser().statements(in: Array(sql.utf8), file: "db/big.sql")
    }

    @Test func aMultiMegabyteScriptSplitsIntoEveryStatementAtItsLine() throws {
        var sql = "-- a bulk load\nCREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, note text);\n"
        let note = String(repeating: "z", count: 180)
        for index in 1...20_000 {
            sql += "INSERT INTO items (id, name, note) VALUES (\(index), 'item ; number \(index)', '\(note)');\n"
        }
        for index in 1...200 {
            sql += "CREATE FUNCTION f\(index)(x int) RETURNS int LANGUAGE plpgsql AS $fn$\nBEGIN\n  x := x + 1; -- one; two\n  RETURN x;\nEND\n$fn$;\n"
        }
        // Many statements on one line, as a minified file holds them.
        sql += (1...2_000).map { "SELECT \($0) AS \"é\($0)\"" }.joined(separator: "; ") + ";\n"
        sql += "\n\n  DROP TABLE items;\n"
        #expect(sql.utf8.count > 4_000_000)

        let statements = try split(sql)
        #expect(statements.count == 1 + 20_000 + 200 + 2_000 + 1)
        let lines = 2 + 20_000 + 200 * 6 + 1
        #expect(statements.last?.text == "DROP TABLE items")
        #expect(statements.last?.line == lines + 3 && statements.last?.column == 3)
        #expect(statements[1].line == 3 && statements[20_000].line == 20_002)
        #expect(statements[20_001].line == 20_003 && statements[20_001].text.hasSuffix("$fn$"))
        #expect(statements[20_001].objects.map(\.name) == ["public.f1(integer)"])

        // On the long line, columns count characters ("é" is two bytes), as PostgreSQL counts them.
        let onOneLine = statements[(20_201)..<(22_201)]
        #expect(onOneLine.allSatisfy { $0.line == lines })
        #expect(onOneLine.first?.column == 1)
        let second = "SELECT 1 AS \"é1\"; ".count + 1
        #expect(onOneLine.dropFirst().first?.column == second)
        #expect(onOneLine.last?.text == "SELECT 2000 AS \"é2000\"")
    }

    @Test func oneHugeStatementIsOneStatement() throws {
        let rows = (1...50_000).map { "(\($0), 'row \($0)')" }.joined(separator: ",\n")
        let sql = "CREATE TABLE t (id int, name text);\nINSERT INTO t VALUES\n\(rows);\nSELECT 1;\n"
        let statements = try split(sql)
        #expect(statements.count == 3)
        #expect(statements[1].line == 2 && statements[1].text.hasSuffix("(50000, 'row 50000')"))
        #expect(statements[2].line == 50_003)
        #expect(statements[1].objects.isEmpty && !statements[1].nonTransactional)
    }

    @Test func positionsInOnePassMatchPositionsOneByOne() {
        let text = "ab\u{e9}c\n\nx\u{1F600}yz; \u{e9}\u{e9}\r\n  q\n"
        let bytes = Array(text.utf8)
        let locator = TextLocator(bytes)
        let offsets = Array(0...bytes.count) + [bytes.count + 5]
        let oneByOne = offsets.map { locator.position(ofByte: $0) }
        let onePass = locator.positions(ofAscendingBytes: offsets)
        #expect(onePass.map(\.line) == oneByOne.map(\.line))
        #expect(onePass.map(\.column) == oneByOne.map(\.column))
        // Repeated and skipped offsets.
        let some = [0, 0, 4, 4, 9, bytes.count]
        #expect(locator.positions(ofAscendingBytes: some).map(\.column) == some.map { locator.position(ofByte: $0).column })
        #expect(locator.positions(ofAscendingBytes: []).isEmpty)
    }

    @Test func theFirstWordIsTheLeadingKeywordInUpperCase() {
        #expect(SQLLexer.firstWord(of: "insert into t values (1)") == "INSERT")
        #expect(SQLLexer.firstWord(of: "Begin;") == "BEGIN")
        #expect(SQLLexer.firstWord(of: "END") == "END")
        #expect(SQLLexer.firstWord(of: "with_x2 AS") == "WITH_X2")
        #expect(SQLLexer.firstWord(of: "(SELECT 1)") == "")
        #expect(SQLLexer.firstWord(of: "\"insert\"") == "")
        #expect(SQLLexer.firstWord(of: "") == "")
    }

    @Test func dataManipulationIsReadWithoutItsTree() throws {
        #expect(PostgresScriptParser.namesNoObject("INSERT INTO t VALUES (1)"))
        #expect(PostgresScriptParser.namesNoObject("delete from t"))
        #expect(PostgresScriptParser.namesNoObject("COPY t TO '/tmp/x'"))
        #expect(!PostgresScriptParser.namesNoObject("INSERTX"))
        #expect(!PostgresScriptParser.namesNoObject("WITH x AS (SELECT 1) SELECT * INTO t FROM x"))
        #expect(!PostgresScriptParser.namesNoObject("SELECT 1 INTO t"))

        // Statements that name objects still do, whatever precedes them.
        let statements = try split("INSERT INTO a VALUES (1);\nSELECT 1 INTO made;\nCREATE INDEX CONCURRENTLY i ON a (x);\nUPDATE a SET x = 2;\n")
        #expect(statements.map { $0.objects.map(\.name) } == [[], ["public.made"], ["public.i"], []])
        #expect(statements.map(\.nonTransactional) == [false, false, true, false])
    }

    @Test func transactionControlIsRecognisedByWordThenTree() {
        let kinds = [
            "BEGIN", "begin isolation level serializable", "START TRANSACTION", "COMMIT", "END", "ABORT", "ROLLBACK AND CHAIN",
            "SAVEPOINT s", "RELEASE s", "ROLLBACK TO SAVEPOINT s", "PREPARE TRANSACTION 'x'", "COMMIT PREPARED 'x'",
        ].map(PostgresScriptParser.transactionKind(of:))
        #expect(kinds == [
            "TRANS_STMT_BEGIN", "TRANS_STMT_BEGIN", "TRANS_STMT_START", "TRANS_STMT_COMMIT", "TRANS_STMT_COMMIT",
            "TRANS_STMT_ROLLBACK", "TRANS_STMT_ROLLBACK", "TRANS_STMT_SAVEPOINT", "TRANS_STMT_RELEASE",
            "TRANS_STMT_ROLLBACK_TO", "TRANS_STMT_PREPARE", "TRANS_STMT_COMMIT_PREPARED",
        ])
        #expect(PostgresScriptParser.transactionKind(of: "PREPARE q AS SELECT 1") == nil)
        #expect(PostgresScriptParser.transactionKind(of: "SELECT 'BEGIN'") == nil)
        #expect(PostgresScriptParser.transactionKind(of: "INSERT INTO t VALUES (1)") == nil)
        #expect(PostgresScriptParser.transactionStatement(of: "ROLLBACK AND CHAIN")?["chain"].bool == true)
    }
}

/// A big file is parsed in pieces cut at semicolons outside comments, literals and parentheses; the pieces give
/// the statements the whole file gives, and a piece that does not parse sends the file to be parsed whole.
@Suite struct PostgresScriptParserPieceTests {
    private static let tricky = """
        -- a comment; with a semicolon
        CREATE TABLE t (id int, note text DEFAULT 'a;b');
        /* block; /* nested; */ still; */ INSERT INTO t VALUES (1, E'it\\'s; fine');
        CREATE RULE r AS ON INSERT TO t DO ALSO (UPDATE t SET id = 1; UPDATE t SET id = 2);
        CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $fn$ BEGIN RETURN 1; END $fn$;
        SELECT "semi;colon" FROM (SELECT 1 AS "semi;colon") s;
        CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;
        SELECT $$;$$, $tag$ $$ ; $tag$;
        DROP TABLE t;

        """

    private func ranges(_ sql: String, cuts: [Int]) throws -> [Range<Int>] {
        try PostgresScriptParser.split(Array(sql.utf8), cuts: cuts).get()
    }

    @Test func cutsFallOnlyAfterSemicolonsThatEndStatements() throws {
        let bytes = Array(Self.tricky.utf8)
        let cuts = SQLLexer(bytes: bytes).cuts(every: 1)
        let ends = try ranges(Self.tricky, cuts: []).map(\.upperBound)
        // Every cut is just past a statement's own semicolon, except the ones inside the BEGIN ATOMIC body.
        let atomic = try #require(bytes.firstRange(of: Array("BEGIN ATOMIC".utf8)))
        let body = atomic.lowerBound..<(atomic.lowerBound + "BEGIN ATOMIC SELECT 1; SELECT 2;".utf8.count)
        for cut in cuts where !body.contains(cut - 1) {
            #expect(ends.contains(cut - 1), "cut at \(cut)")
        }
        #expect(cuts.count == 10)
        #expect(SQLLexer(bytes: bytes).cuts(every: bytes.count).isEmpty)
        #expect(SQLLexer(bytes: Array("SELECT 1; SELECT 2; SELECT 3;".utf8)).cuts(every: 12) == [19])
    }

    @Test func piecesGiveTheStatementsOfTheWholeFile() throws {
        let whole = try ranges(Self.tricky, cuts: [])
        #expect(whole.count == 8)
        let bytes = Array(Self.tricky.utf8)
        for size in [1, 10, 100, 300] {
            #expect(try ranges(Self.tricky, cuts: SQLLexer(bytes: bytes).cuts(every: size)) == whole, "pieces of \(size) bytes")
        }
        // Without the BEGIN ATOMIC function no piece fails, and the pieces still agree.
        let plain = Self.tricky.replacingOccurrences(of: "CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\n", with: "")
        #expect(try ranges(plain, cuts: SQLLexer(bytes: Array(plain.utf8)).cuts(every: 1)) == ranges(plain, cuts: []))
    }

    @Test func aSyntaxErrorInAPieceIsReportedAsForTheWholeFile() throws {
        let sql = "SELECT 1;\nSELECT 2;\nSELEC 3;\nSELECT 4;\n"
        let bytes = Array(sql.utf8)
        let pieces = PostgresScriptParser.split(bytes, cuts: SQLLexer(bytes: bytes).cuts(every: 1))
        let whole = PostgresScriptParser.split(bytes, cuts: [])
        guard case .failure(let error) = whole else {
            Issue.record("SELEC must not parse")
            return
        }
        #expect(pieces == .failure(error))
        #expect(error.position == 21)
    }
}
