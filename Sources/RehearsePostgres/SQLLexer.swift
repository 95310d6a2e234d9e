/// Just enough of PostgreSQL's lexical rules to step over comments, string literals, quoted identifiers and
/// dollar-quoted bodies in a UTF-8 script, so that text outside them can be inspected.
///
/// The parser (libpg_query) remains the authority on statements; this only answers "is this byte code or not".
struct SQLLexer {
    let bytes: [UInt8]

    /// The byte offset of the first backslash at or after `start` outside comments and literals: where psql would
    /// see a meta-command. `start` must not be inside a comment or literal.
    func firstBackslashOutsideLiterals(from start: Int = 0) -> Int? {
        var offset = start
        while offset < bytes.count {
            if let end = endOfTrivia(at: offset) ?? endOfLiteral(at: offset) {
                offset = end
            } else if bytes[offset] == UInt8(ascii: "\\") {
                return offset
            } else {
                offset += 1
            }
        }
        return nil
    }

    /// The byte range of the first unquoted word equal to `word` (ASCII, any case) outside comments and literals.
    func firstWord(_ word: String) -> Range<Int>? {
        let wanted = Array(word.uppercased().utf8)
        var offset = 0
        while offset < bytes.count {
            if let end = endOfTrivia(at: offset) ?? endOfLiteral(at: offset) {
                offset = end
            } else if Self.isIdentifierByte(bytes[offset]) {
                var end = offset
                while end < bytes.count, Self.isIdentifierByte(bytes[end]) { end += 1 }
                if end - offset == wanted.count, zip(bytes[offset..<end], wanted).allSatisfy({ ($0 & ~0x20) == $1 }) {
                    return offset..<end
                }
                offset = end
            } else {
                offset += 1
            }
        }
        return nil
    }

    /// Offsets just past semicolons that stand outside comments, literals and parentheses, the first at least
    /// `size` bytes into the text and each next one at least `size` bytes past the one before: where a big file can
    /// be cut into pieces that each hold whole statements. A semicolon inside a `BEGIN ATOMIC` body also
    /// qualifies; the pieces around it then fail to parse, and the caller parses the file whole.
    func cuts(every size: Int) -> [Int] {
        var cuts: [Int] = []
        var offset = 0, depth = 0, next = size
        while offset < bytes.count {
            if let end = endOfTrivia(at: offset) ?? endOfLiteral(at: offset) {
                offset = end
                continue
            }
            switch bytes[offset] {
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"): depth = max(depth - 1, 0)
            case UInt8(ascii: ";") where depth == 0 && offset + 1 >= next && offset + 1 < bytes.count:
                cuts.append(offset + 1)
                next = offset + 1 + size
            default: break
            }
            offset += 1
        }
        return cuts
    }

    /// The first offset at or after `start` (and before `end`) that is neither whitespace nor a comment.
    func skipTrivia(from start: Int, to end: Int) -> Int {
        var offset = start
        while offset < end {
            if Self.isWhitespace(bytes[offset]) {
                offset += 1
            } else if let next = endOfTrivia(at: offset) {
                offset = next
            } else {
                break
            }
        }
        return min(offset, end)
    }

    /// End of a `--` or (nested) `/* */` comment starting at `offset`, else nil.
    private func endOfTrivia(at offset: Int) -> Int? {
        if matches(("-", "-"), at: offset) {
            var end = offset + 2
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            return end
        }
        guard matches(("/", "*"), at: offset) else { return nil }
        var depth = 0, end = offset
        while end < bytes.count {
            if matches(("/", "*"), at: end) {
                depth += 1
                end += 2
            } else if matches(("*", "/"), at: end) {
                depth -= 1
                end += 2
                if depth == 0 { return end }
            } else {
                end += 1
            }
        }
        return bytes.count
    }

    /// End of a string literal, quoted identifier or dollar-quoted string starting at `offset`, else nil.
    private func endOfLiteral(at offset: Int) -> Int? {
        let byte = bytes[offset]
        let previous = offset > 0 ? bytes[offset - 1] : 0
        switch byte {
        case UInt8(ascii: "'"):
            // E'…' strings treat backslash as an escape; standard strings only double the quote.
            let escapes = (previous == UInt8(ascii: "E") || previous == UInt8(ascii: "e"))
                && !(offset > 1 && Self.isIdentifierByte(bytes[offset - 2]))
            return endOfQuoted(from: offset + 1, quote: byte, backslashEscapes: escapes)
        case UInt8(ascii: "\""):
            return endOfQuoted(from: offset + 1, quote: byte, backslashEscapes: false)
        case UInt8(ascii: "$") where !Self.isIdentifierByte(previous):
            guard let tagEnd = dollarTagEnd(from: offset) else { return nil }
            let tag = Array(bytes[offset..<tagEnd])
            var end = tagEnd
            while end < bytes.count {
                if bytes[end] == UInt8(ascii: "$"), bytes[end...].starts(with: tag) { return end + tag.count }
                end += 1
            }
            return bytes.count
        default:
            return nil
        }
    }

    private func endOfQuoted(from start: Int, quote: UInt8, backslashEscapes: Bool) -> Int {
        var end = start
        while end < bytes.count {
            let byte = bytes[end]
            if backslashEscapes, byte == UInt8(ascii: "\\") {
                end += 2
            } else if byte == quote {
                if end + 1 < bytes.count, bytes[end + 1] == quote {
                    end += 2
                } else {
                    return end + 1
                }
            } else {
                end += 1
            }
        }
        return bytes.count
    }

    /// For `$tag$` at `offset`, the offset just past the second `$`; nil when this `$` opens no dollar quote
    /// (a parameter such as `$1`).
    private func dollarTagEnd(from offset: Int) -> Int? {
        var end = offset + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: "$") {
            let byte = bytes[end]
            let allowed = Self.isIdentifierByte(byte) && !(end == offset + 1 && Self.isDigit(byte)) && byte != UInt8(ascii: "$")
            guard allowed else { return nil }
            end += 1
        }
        return end < bytes.count ? end + 1 : nil
    }

    /// True when the two ASCII characters of `pair` start at `offset`.
    private func matches(_ pair: (Unicode.Scalar, Unicode.Scalar), at offset: Int) -> Bool {
        offset + 1 < bytes.count && bytes[offset] == UInt8(ascii: pair.0) && bytes[offset + 1] == UInt8(ascii: pair.1)
    }

    /// The leading keyword of `statement` (which starts at its first token, as a ``ScriptStatement``'s text does),
    /// in upper case; empty when it does not start with a letter.
    static func firstWord(of statement: String) -> String {
        var word: [UInt8] = []
        for byte in statement.utf8 {
            let upper = byte & ~0x20
            guard upper >= 0x41 && upper <= 0x5A || (!word.isEmpty && (isDigit(byte) || byte == UInt8(ascii: "_"))) else { break }
            word.append(isDigit(byte) || byte == UInt8(ascii: "_") ? byte : upper)
        }
        return String(decoding: word, as: UTF8.self)
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C || byte == 0x0B
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Letters, digits, `_`, `$` and any byte of a multi-byte character, as PostgreSQL identifiers allow.
    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || isDigit(byte)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || byte >= 0x80
    }
}
