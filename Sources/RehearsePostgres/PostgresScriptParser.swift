import Foundation
internal import CPgQuery
import RehearseCore

/// Splits PostgreSQL scripts into statements with PostgreSQL's own parser (libpg_query).
///
/// The file must be plain SQL in UTF-8: psql meta-commands (`\set`, `\i`, `\connect`, …), bytes that are not UTF-8
/// and NUL bytes are ``InputError``s naming the file, line and column, since no server could run them. A baseline
/// (a pg_dump file) may hold pg_dump's `\restrict` / `\unrestrict` lines, which are blanked. Each statement keeps
/// where its first token starts (leading comments and blank lines are skipped), its text up to, not including, the
/// terminating semicolon, whether PostgreSQL refuses it in a transaction block and the objects it touches.
///
/// A file the parser cannot split (a syntax error, or syntax newer than this libpg_query) is not an input error:
/// it becomes one statement holding the whole text, with ``PreparedScript/unsplittable`` saying why, and the
/// server decides.
public struct PostgresScriptParser: ScriptParser {
    public init() {}

    public func prepare(_ file: ScriptFile) throws -> PreparedScript {
        let data: Data
        do {
            data = try Data(contentsOf: file.url)
        } catch {
            throw InputError(file: file.displayPath, "cannot read the file: \((error as NSError).localizedDescription)")
        }
        return try prepare(Self.keeping(file.section, of: Array(data)), file: file)
    }

    /// Splits `bytes`, the contents of `file`.
    ///
    /// - Throws: ``InputError`` for text that is not UTF-8, a NUL byte or a psql meta-command.
    public func prepare(_ bytes: [UInt8], file: ScriptFile) throws -> PreparedScript {
        let split = try split(bytes, file: file.displayPath, role: file.role)
        return PreparedScript(
            file: file, statements: split.statements, unsplittable: split.unsplittable,
            wrapsItselfInTransaction: split.unsplittable == nil && Self.wrapsItself(split.statements)
        )
    }

    /// The bytes of `section` (one half of a dbmate file), with every byte outside it blanked to a space except
    /// newlines, so that line and column numbers stay those of the whole file; all of `bytes` when nil.
    static func keeping(_ section: Range<Int>?, of bytes: [UInt8]) -> [UInt8] {
        guard let section else { return bytes }
        var kept = bytes
        for index in kept.indices where !section.contains(index) && kept[index] != UInt8(ascii: "\n") {
            kept[index] = UInt8(ascii: " ")
        }
        return kept
    }

    /// Whether the first statement opens a transaction and the last one commits it (`BEGIN; … COMMIT;`), read
    /// from their parse trees.
    static func wrapsItself(_ statements: [ScriptStatement]) -> Bool {
        guard statements.count >= 2, let first = statements.first, let last = statements.last else { return false }
        return ["TRANS_STMT_BEGIN", "TRANS_STMT_START"].contains(transactionKind(of: first.text))
            && transactionKind(of: last.text) == "TRANS_STMT_COMMIT"
    }

    /// The statements of `bytes` (the contents of the file shown as `file`); one statement holding the whole text
    /// when the parser cannot split it.
    ///
    /// - Throws: ``InputError`` for text that is not UTF-8, a NUL byte or a psql meta-command.
    public func statements(in bytes: [UInt8], file: String, role: ScriptFile.Role = .forward) throws -> [ScriptStatement] {
        try split(bytes, file: file, role: role).statements
    }

    private func split(_ bytes: [UInt8], file: String, role: ScriptFile.Role) throws -> (statements: [ScriptStatement], unsplittable: String?) {
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
        if role == .baseline { bytes = PgDumpRestrictLines.blanked(bytes) }
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
        /// The statement in `range` without the comments and blank space around it; nil when nothing is left.
        func trimmed(_ range: Range<Int>) -> Range<Int>? {
            let start = lexer.skipTrivia(from: range.lowerBound, to: range.upperBound)
            var end = range.upperBound
            while end > start, SQLLexer.isWhitespace(bytes[end - 1]) { end -= 1 }
            return start < end ? start..<end : nil
        }
        let ranges: [Range<Int>]
        switch Self.split(bytes, cuts: lexer.cuts(every: Self.pieceSize)) {
        case .failure(let error):
            // The server decides: the whole text goes as one query string, and its error will say where.
            guard let whole = trimmed(0..<bytes.count) else { return ([], nil) }
            let (line, column) = locator.position(ofByte: whole.lowerBound)
            let offset = error.position > 0 ? locator.byteOffset(ofCharacter: error.position - 1) : bytes.count
            let (errorLine, errorColumn) = locator.position(ofByte: offset)
            let text = String(decoding: bytes[whole], as: UTF8.self)
            return ([ScriptStatement(text: text, line: line, column: column)], "\(error.message) at line \(errorLine), column \(errorColumn)")
        case .success(let split):
            ranges = split.compactMap(trimmed)
        }
        // Statements are found in file order, so their positions come from one pass over the text: asking for each
        // one from its line's start would recount a long line (a minified file) once per statement on it.
        let positions = locator.positions(ofAscendingBytes: ranges.map(\.lowerBound))
        var namer = StatementObjectNamer()
        var statements: [ScriptStatement] = []
        statements.reserveCapacity(ranges.count)
        for (range, position) in zip(ranges, positions) {
            let text = String(decoding: bytes[range], as: UTF8.self)
            // Each statement is parsed on its own for its tree, which is freed before the next: a tree of the whole
            // file would be many times its size.
            let tree = Self.namesNoObject(text) ? nil : Self.tree(of: text)
            statements.append(ScriptStatement(
                text: text, line: position.line, column: position.column,
                nonTransactional: tree.flatMap(NonTransactionalStatement.label(of:)) != nil,
                objects: tree.map { namer.objects(of: $0) } ?? []
            ))
        }
        return (statements, nil)
    }

    /// True for a statement whose first word makes it data manipulation (`INSERT`, `UPDATE`, `DELETE`, `MERGE`,
    /// `COPY`): it creates, alters or drops no catalog object and runs in a transaction, so its tree (for a
    /// bulk load, the largest part of a file) tells ``StatementObjectNamer`` and ``NonTransactionalStatement``
    /// nothing. A statement opening with `WITH` is not judged by its first word.
    static func namesNoObject(_ statement: String) -> Bool {
        ["INSERT", "UPDATE", "DELETE", "MERGE", "COPY"].contains(SQLLexer.firstWord(of: statement))
    }

    /// What libpg_query's parser reported for text it could not parse: its message and the 1-based character
    /// position (0 when it gave none).
    struct ParseFailure: Error, Equatable {
        var message: String
        var position: Int
    }

    /// How much of a big file libpg_query parses at a time: its parse tree of a piece takes several times the
    /// piece's size, so a 50 MB file parsed whole would need hundreds of megabytes at once.
    static let pieceSize = 1 << 20

    /// The byte ranges of the statements of `bytes`, parsed piece by piece between `cuts` (see
    /// ``SQLLexer/cuts(every:)``); when a piece does not parse, the file is parsed whole, so that a syntax error
    /// is reported exactly as it would be for a small file.
    static func split(_ bytes: [UInt8], cuts: [Int]) -> Result<[Range<Int>], ParseFailure> {
        guard !cuts.isEmpty else { return split(bytes[...]) }
        var ranges: [Range<Int>] = []
        var start = 0
        for end in cuts + [bytes.count] {
            guard case .success(let piece) = split(bytes[start..<end]) else { return split(bytes[...]) }
            ranges += piece.map { ($0.lowerBound + start)..<($0.upperBound + start) }
            start = end
        }
        return .success(ranges)
    }

    /// The byte ranges of the statements of `bytes` (offsets from its start), as libpg_query's parser splits them
    /// (`pg_query_split_with_parser`): the text is parsed whole, so a syntax error anywhere is found, but no parse
    /// tree leaves C.
    private static func split(_ bytes: ArraySlice<UInt8>) -> Result<[Range<Int>], ParseFailure> {
        var text = Array(bytes)
        text.append(0)
        let result = text.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { characters in
                characters.baseAddress.map { pg_query_split_with_parser($0) }
            }
        }
        guard let result else { return .success([]) }
        defer { pg_query_free_split_result(result) }
        if let error = result.error {
            let message = error.pointee.message.map { String(cString: $0) } ?? "syntax error"
            return .failure(ParseFailure(message: message, position: Int(error.pointee.cursorpos)))
        }
        let count = Int(result.n_stmts)
        guard count > 0, let statements = result.stmts else { return .success([]) }
        return .success((0..<count).compactMap { index in
            guard let statement = statements[index]?.pointee else { return nil }
            let start = min(max(Int(statement.stmt_location), 0), bytes.count)
            return start..<min(start + max(Int(statement.stmt_len), 0), bytes.count)
        })
    }

    /// The byte ranges and parse trees of the statements of `bytes`, as libpg_query's parser splits them.
    private static func parse(_ bytes: [UInt8]) -> Result<[(range: Range<Int>, tree: ParseNode)], ParseFailure> {
        let result = (bytes + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { characters in
                characters.baseAddress.map { pg_query_parse($0) }
            }
        }
        guard let result else { return .success([]) }
        defer { pg_query_free_parse_result(result) }
        if let error = result.error {
            let message = error.pointee.message.map { String(cString: $0) } ?? "syntax error"
            return .failure(ParseFailure(message: message, position: Int(error.pointee.cursorpos)))
        }
        guard let json = result.parse_tree.map({ String(cString: $0) }), let tree = ParseNode(json: json) else {
            return .failure(ParseFailure(message: "libpg_query returned no parse tree", position: 0))
        }
        return .success(tree["stmts"].list.map { statement in
            // Fields at their default are left out of the JSON: no location means 0, no length means "to the end".
            let start = min(statement["stmt_location"].int ?? 0, bytes.count)
            let length = statement["stmt_len"].int ?? 0
            let end = length == 0 ? bytes.count : min(start + length, bytes.count)
            return (start..<end, statement["stmt"])
        })
    }

    /// The parse tree of one statement's text (its `stmt` node), or nil when it does not parse as one statement.
    static func tree(of statement: String) -> ParseNode? {
        guard case .success(let statements) = parse(Array(statement.utf8)), statements.count == 1 else { return nil }
        return statements[0].tree
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
        transactionKind(of: statement) != nil
    }

    /// The `TransactionStmt` kind of `statement` (`TRANS_STMT_BEGIN`, `TRANS_STMT_COMMIT`, …), or nil when it is not
    /// transaction control.
    static func transactionKind(of statement: String) -> String? {
        guard transactionWords.contains(SQLLexer.firstWord(of: statement)) else { return nil }
        if let known = KnownKinds.shared.kind(of: statement) { return known }
        let kind = transactionStatement(of: statement)?["kind"].string
        KnownKinds.shared.record(kind, of: statement)
        return kind
    }

    /// ``transactionKind(of:)`` of the statements seen so far: a step runs a file's `BEGIN` and `COMMIT` several
    /// times (the `safety` measurement, forward, reapply), and each answer was a parse and its JSON read. (An
    /// `NSLock`: `Synchronization.Mutex` would make the binary need the dynamic loader's own library.)
    private final class KnownKinds: @unchecked Sendable {
        static let shared = KnownKinds()
        private let lock = NSLock()
        private var kinds: [String: String?] = [:]

        /// The kind recorded for `statement`: nil when none is, `.some(nil)` when it is not transaction control.
        func kind(of statement: String) -> String?? {
            lock.withLock { kinds[statement] }
        }

        func record(_ kind: String?, of statement: String) {
            lock.withLock {
                if kinds.count >= 4096 { kinds.removeAll() }
                kinds[statement] = kind
            }
        }
    }

    /// The fields of `statement`'s `TransactionStmt`, or nil when it is not transaction control. Only a statement
    /// whose first word can open one is parsed: a validator or verify script holding a bulk `INSERT` is not parsed
    /// again each time it runs.
    static func transactionStatement(of statement: String) -> ParseNode? {
        guard transactionWords.contains(SQLLexer.firstWord(of: statement)) else { return nil }
        return tree(of: statement)?.fields("TransactionStmt")
    }

    /// The words a `TransactionStmt` can start with, in PostgreSQL's grammar.
    static let transactionWords: Set<String> = [
        "ABORT", "BEGIN", "COMMIT", "END", "PREPARE", "RELEASE", "ROLLBACK", "SAVEPOINT", "START",
    ]
}
