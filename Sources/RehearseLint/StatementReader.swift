import Foundation
internal import CPgQuery
import RehearseCore
import RehearsePostgres

/// Reads a forward file into parsed statements, with PostgreSQL's own parser (libpg_query).
///
/// The file is split as `verify` splits it (``PostgresScriptParser``, which also reads only a dbmate file's
/// half); each statement is then parsed on its own for its tree. The SQL statements inside a `DO` block written
/// in PL/pgSQL follow their block, parsed from the block's body, so that a guarded `ALTER TABLE` is checked too.
struct StatementReader: Sendable {
    /// What a file holds: its statements, or where libpg_query stopped reading it.
    enum Outcome: Sendable {
        case statements([LintStatement])
        case unparsable(line: Int, column: Int, message: String)
    }

    /// A file as read: what it holds, and whether a failure halfway through it leaves a partial state (the rule
    /// `verify`'s plan decides idempotence by).
    struct ReadFile: Sendable {
        let outcome: Outcome
        let runsOutsideTransaction: Bool
    }

    /// - Throws: ``InputError`` for what no server could run either: a file that cannot be opened, text that is
    ///   not UTF-8, a psql meta-command.
    func read(_ file: ScriptFile) throws -> ReadFile {
        let prepared = try PostgresScriptParser().prepare(file)
        return ReadFile(outcome: outcome(of: prepared, file: file), runsOutsideTransaction: RehearsalPlan.runsOutsideTransaction(prepared))
    }

    private func outcome(of prepared: PreparedScript, file: ScriptFile) -> Outcome {
        if prepared.unsplittable != nil, let whole = prepared.statements.first {
            return Self.failure(of: whole)
        }
        var statements: [LintStatement] = []
        for piece in prepared.statements {
            guard let node = Self.parse(piece.text) else { return Self.failure(of: piece) }
            let statement = LintStatement(
                node: node, text: piece.text, line: piece.line, column: piece.column, nested: false,
                nonTransactional: piece.nonTransactional
            )
            statements.append(statement)
            statements += Self.nestedStatements(of: statement, file: file.displayPath)
        }
        return .statements(statements)
    }

    /// Where and why libpg_query refuses `statement` (a whole file it could not split, or one statement).
    private static func failure(of statement: ScriptStatement) -> Outcome {
        let result = pg_query_parse(statement.text)
        defer { pg_query_free_parse_result(result) }
        guard let error = result.error else {
            return .unparsable(line: statement.line, column: statement.column, message: "libpg_query cannot parse this statement")
        }
        let message = error.pointee.message.map { String(cString: $0) } ?? "syntax error"
        // cursorpos counts characters from 1; 0 means the parser gave no position.
        let characters = max(Int(error.pointee.cursorpos) - 1, 0)
        let offset = statement.text.unicodeScalars.prefix(characters).reduce(0) { $0 + UTF8.width($1) }
        let position = LintStatement(node: .null, text: statement.text, line: statement.line, column: statement.column, nested: false)
            .position(ofByte: error.pointee.cursorpos > 0 ? offset : statement.text.utf8.count)
        return .unparsable(line: position.line, column: position.column, message: message)
    }

    /// The tree of one statement, nil when it does not parse.
    static func parse(_ text: String) -> ParseNode? {
        let result = pg_query_parse(text)
        defer { pg_query_free_parse_result(result) }
        guard result.error == nil, let tree = result.parse_tree,
              let root = try? ParseNode.decode(String(cString: tree)) else { return nil }
        return root["stmts"]?.items.first?["stmt"]
    }

    /// The SQL statements of a PL/pgSQL `DO` block, in their order, placed where they stand in the file.
    ///
    /// Dynamic SQL (`EXECUTE format(…)`) cannot be read without running it and is left out.
    static func nestedStatements(of statement: LintStatement, file: String) -> [LintStatement] {
        guard let block = statement.node.node("DoStmt") else { return [] }
        var body: String?
        var bodyLocation: Int?
        for argument in block["args"]?.items ?? [] {
            guard let element = argument.node("DefElem") else { continue }
            switch element["defname"]?.string {
            case "as":
                body = element["arg"]?.node("String")?["sval"]?.string
                bodyLocation = element.location
            case "language":
                if element["arg"]?.node("String")?["sval"]?.string?.lowercased() != "plpgsql" { return [] }
            default:
                break
            }
        }
        guard let body, let queries = plpgsqlQueries(body) else { return [] }
        let bodyStart = bodyOffset(of: body, in: statement.text, literalAt: bodyLocation)
        let bodyBytes = Array(body.utf8)
        var lineStarts = [0]
        for (offset, byte) in bodyBytes.enumerated() where byte == UInt8(ascii: "\n") { lineStarts.append(offset + 1) }

        var nested: [(offset: Int, statement: LintStatement)] = []
        for (lineNumber, query) in queries {
            guard let node = parse(query) else { continue }
            let nonTransactional = (try? PostgresScriptParser().statements(in: Array(query.utf8), file: file))?.first?.nonTransactional ?? false
            let lineStart = lineStarts[min(max(lineNumber - 1, 0), lineStarts.count - 1)]
            // PL/pgSQL blanks out an INTO clause, so the query is not always found verbatim: then it is placed at
            // the first word of its line.
            let offset = find(Array(query.utf8), in: bodyBytes, from: lineStart) ?? firstWord(in: bodyBytes, from: lineStart)
            let position = bodyStart.map { statement.position(ofByte: $0 + offset) } ?? (line: statement.line, column: statement.column)
            nested.append((offset, LintStatement(
                node: node, text: query, line: position.line, column: position.column, nested: true, nonTransactional: nonTransactional
            )))
        }
        return nested.sorted { $0.offset < $1.offset }.map(\.statement)
    }

    /// `(line within the body, query text)` of every SQL statement PL/pgSQL runs as written; nil when the body
    /// does not parse as PL/pgSQL.
    private static func plpgsqlQueries(_ body: String) -> [(Int, String)]? {
        var tag = "rehearse_lint"
        while body.contains("$\(tag)$") { tag += "_" }
        let function = "CREATE FUNCTION rehearse_lint_do() RETURNS void LANGUAGE plpgsql AS $\(tag)$\(body)$\(tag)$"
        let result = pg_query_parse_plpgsql(function)
        defer { pg_query_free_plpgsql_parse_result(result) }
        guard result.error == nil, let json = result.plpgsql_funcs, let tree = try? ParseNode.decode(String(cString: json)) else {
            return nil
        }
        return tree.all("PLpgSQL_stmt_execsql").compactMap { statement in
            guard let query = statement["sqlstmt"]?.node("PLpgSQL_expr")?["query"]?.string else { return nil }
            return (statement["lineno"]?.int ?? 1, query)
        }
    }

    /// The byte offset in `text` where the block's body starts, when the literal holds it verbatim.
    private static func bodyOffset(of body: String, in text: String, literalAt location: Int?) -> Int? {
        let bytes = Array(text.utf8)
        guard let location, location < bytes.count else { return nil }
        var start = location
        if bytes[location] == UInt8(ascii: "$") {
            guard let close = bytes[(location + 1)...].firstIndex(of: UInt8(ascii: "$")) else { return nil }
            start = close + 1
        } else if bytes[location] == UInt8(ascii: "'") {
            start = location + 1
        } else {
            return nil
        }
        let bodyBytes = Array(body.utf8)
        guard start + bodyBytes.count <= bytes.count, Array(bytes[start..<(start + bodyBytes.count)]) == bodyBytes else {
            return nil
        }
        return start
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0], Array(haystack[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }

    private static func firstWord(in bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
        return index
    }
}
