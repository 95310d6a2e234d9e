import Foundation
internal import CPgQuery
import RehearseCore

/// Splits PostgreSQL scripts into statements with PostgreSQL's own parser (libpg_query).
///
/// The file must be plain SQL in UTF-8: psql meta-commands (`\set`, `\i`, `\connect`, …) and syntax errors are
/// ``InputError``s naming the file, line and column. Each statement keeps where its first token starts (leading
/// comments and blank lines are skipped) and its text up to, not including, the terminating semicolon.
public struct PostgresScriptParser: ScriptParser {
    public init() {}

    public func prepare(_ file: ScriptFile) throws -> PreparedScript {
        let data: Data
        do {
            data = try Data(contentsOf: file.url)
        } catch {
            throw InputError(file: file.displayPath, "cannot read the file: \((error as NSError).localizedDescription)")
        }
        let statements = try statements(in: Array(data), file: file.displayPath)
        return PreparedScript(file: file, statements: statements, wrapsItselfInTransaction: Self.wrapsItself(statements))
    }

    /// Whether the first statement opens a transaction and the last one commits it (`BEGIN; … COMMIT;`).
    static func wrapsItself(_ statements: [ScriptStatement]) -> Bool {
        guard statements.count >= 2, let first = statements.first, let last = statements.last,
              isTransactionControl(first.text), isTransactionControl(last.text) else { return false }
        let opening = first.text.prefix(5).uppercased()
        let closing = last.text.prefix(6).uppercased()
        return (opening.hasPrefix("BEGIN") || opening.hasPrefix("START")) && (closing.hasPrefix("COMMIT") || closing.hasPrefix("END"))
    }

    /// Splits `bytes` (the contents of the file shown as `file`).
    ///
    /// - Throws: ``InputError`` for text that is not UTF-8, a psql meta-command or a syntax error.
    public func statements(in bytes: [UInt8], file: String) throws -> [ScriptStatement] {
        var bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let locator = TextLocator(bytes)
        if let offset = Self.firstInvalidUTF8(in: bytes) {
            let (line, column) = locator.position(ofByte: offset)
            throw InputError(file: file, line: line, column: column, "the file is not valid UTF-8 (byte 0x\(String(bytes[offset], radix: 16, uppercase: true)) at offset \(offset)); save it as UTF-8")
        }
        if let offset = bytes.firstIndex(of: 0) {
            let (line, column) = locator.position(ofByte: offset)
            throw InputError(file: file, line: line, column: column, "the file contains a NUL byte; it must be plain SQL text")
        }
        let lexer = SQLLexer(bytes: bytes)
        if let offset = lexer.firstBackslashOutsideLiterals() {
            let (line, column) = locator.position(ofByte: offset)
            var end = offset + 1
            while end < bytes.count, !SQLLexer.isWhitespace(bytes[end]), bytes[end] != UInt8(ascii: ";") { end += 1 }
            let command = String(decoding: bytes[offset..<end], as: UTF8.self)
            if command == "\\." {
                throw InputError(
                    file: file, line: line, column: column,
                    "inline COPY data ending with \\. is a psql feature and is not supported: the file must be plain SQL; load the rows with INSERT"
                )
            }
            throw InputError(
                file: file, line: line, column: column,
                "psql meta-command \(command) is not supported: the file must be plain SQL (statements separated by semicolons), without psql backslash commands"
            )
        }
        let ranges = try Self.split(bytes, locator: locator, file: file)
        return ranges.compactMap { range in
            let start = lexer.skipTrivia(from: range.lowerBound, to: range.upperBound)
            var end = range.upperBound
            while end > start, SQLLexer.isWhitespace(bytes[end - 1]) { end -= 1 }
            guard start < end else { return nil }
            let (line, column) = locator.position(ofByte: start)
            return ScriptStatement(text: String(decoding: bytes[start..<end], as: UTF8.self), line: line, column: column)
        }
    }

    /// Byte ranges of the statements as libpg_query's parser splits them.
    private static func split(_ bytes: [UInt8], locator: TextLocator, file: String) throws -> [Range<Int>] {
        let result = (bytes + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { pg_query_split_with_parser($0.baseAddress!) }
        }
        defer { pg_query_free_split_result(result) }
        if let error = result.error {
            let message = error.pointee.message.map { String(cString: $0) } ?? "syntax error"
            // cursorpos counts characters from 1; 0 means the parser gave no position.
            let position = Int(error.pointee.cursorpos)
            let offset = position > 0 ? locator.byteOffset(ofCharacter: position - 1) : bytes.count
            let (line, column) = locator.position(ofByte: offset)
            throw InputError(file: file, line: line, column: column, message)
        }
        guard let statements = result.stmts else { return [] }
        return (0..<Int(result.n_stmts)).compactMap { index in
            guard let statement = statements[index] else { return nil }
            let start = Int(statement.pointee.stmt_location)
            let length = Int(statement.pointee.stmt_len)
            // A zero length means "to the end of the input" (the last statement without a semicolon).
            let end = length == 0 ? bytes.count : min(start + length, bytes.count)
            return start..<end
        }
    }

    private static func firstInvalidUTF8(in bytes: [UInt8]) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// True when `statement` is transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, PREPARE TRANSACTION, …).
    public static func isTransactionControl(_ statement: String) -> Bool {
        let result = pg_query_parse(statement)
        defer { pg_query_free_parse_result(result) }
        guard result.error == nil, let tree = result.parse_tree else { return false }
        return String(cString: tree).contains("{\"stmt\":{\"TransactionStmt\"")
    }
}
