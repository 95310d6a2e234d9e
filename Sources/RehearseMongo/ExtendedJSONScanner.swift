import RehearseCore

/// A strict JSON reader (RFC 8259) that knows where every value starts.
///
/// libbson validates Extended JSON but its errors carry no usable position, so scripts are read here first:
/// a syntax error becomes an ``InputError`` with the file, line and column, and each element of a script's
/// top-level array keeps its own position for failure messages. Columns count Unicode scalars, 1-based.
struct ExtendedJSONScanner {
    /// A value together with where it starts and the exact source text it came from.
    struct Located: Sendable {
        let value: JSONValue
        let line: Int
        let column: Int
        let text: String
    }

    private let bytes: [UInt8]
    private let file: String
    private var offset = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0
    private var columnCache: (lineStart: Int, offset: Int, column: Int) = (0, 0, 1)
    private static let maximumDepth = 200

    /// - Parameter file: the name used in error messages.
    init(text: String, file: String) {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        self.bytes = bytes
        self.file = file
    }

    /// Reads one JSON value filling the whole text.
    static func parse(_ text: String, file: String = "JSON") throws(InputError) -> JSONValue {
        var scanner = ExtendedJSONScanner(text: text, file: file)
        return try scanner.parseDocument()
    }

    mutating func parseDocument() throws(InputError) -> JSONValue {
        skipWhitespace()
        guard offset < bytes.count else { throw error("the file is empty; expected a JSON value") }
        let value = try parseValue()
        try expectEnd()
        return value
    }

    /// Reads a text that must be a JSON array and returns its elements with their positions and source text.
    mutating func parseTopLevelArray(expectation: String) throws(InputError) -> [Located] {
        skipWhitespace()
        guard offset < bytes.count else { throw error("the file is empty; expected \(expectation)") }
        guard bytes[offset] == UInt8(ascii: "[") else { throw error("expected \(expectation), found \(describeCurrent())") }
        advance()
        var elements: [Located] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            advance()
            try expectEnd()
            return elements
        }
        while true {
            skipWhitespace()
            let start = offset, startLine = line, startColumn = elementColumn(at: offset)
            let value = try parseValue()
            let text = String(decoding: bytes[start..<offset], as: UTF8.self)
            elements.append(Located(value: value, line: startLine, column: startColumn, text: text))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): advance()
            case UInt8(ascii: "]"):
                advance()
                try expectEnd()
                return elements
            default: throw error("expected ',' or ']' after an array element, found \(describeCurrent())")
            }
        }
    }

    // MARK: - Values

    private mutating func parseValue() throws(InputError) -> JSONValue {
        skipWhitespace()
        guard let byte = peek() else { throw error("unexpected end of file; expected a value") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case UInt8(ascii: "'"): throw error("strings must use double quotes in JSON")
        default: throw error("expected a value, found \(describeCurrent())")
        }
    }

    private mutating func parseObject() throws(InputError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        advance()
        var members: [JSONMember] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            advance()
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else {
                let hint = peek().map { Self.isIdentifierByte($0) } == true ? " (keys must be quoted in JSON)" : ""
                throw error("expected a string key, found \(describeCurrent())\(hint)")
            }
            let key = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after the key \"\(key)\", found \(describeCurrent())") }
            advance()
            let value = try parseValue()
            members.append(JSONMember(key: key, value: value))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                advance()
                skipWhitespace()
                if peek() == UInt8(ascii: "}") { throw error("trailing comma before '}'") }
            case UInt8(ascii: "}"):
                advance()
                return .object(members)
            default: throw error("expected ',' or '}' after the value of \"\(key)\", found \(describeCurrent())")
            }
        }
    }

    private mutating func parseArray() throws(InputError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        advance()
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            advance()
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                advance()
                skipWhitespace()
                if peek() == UInt8(ascii: "]") { throw error("trailing comma before ']'") }
            case UInt8(ascii: "]"):
                advance()
                return .array(elements)
            default: throw error("expected ',' or ']' after an array element, found \(describeCurrent())")
            }
        }
    }

    private mutating func parseString() throws(InputError) -> String {
        // Columns are counted only when needed: counting for every string is quadratic on one long line.
        let openOffset = offset, openLine = line, openLineStart = lineStart
        func unterminated(_ message: String) -> InputError {
            InputError(file: file, line: openLine, column: Self.column(in: bytes, lineStart: openLineStart, position: openOffset), message)
        }
        advance()
        var scalars = String.UnicodeScalarView()
        var runStart = offset
        func flushRun(_ end: Int) {
            if end > runStart { scalars.append(contentsOf: String(decoding: bytes[runStart..<end], as: UTF8.self).unicodeScalars) }
        }
        while true {
            guard let byte = peek() else {
                throw unterminated("unterminated string")
            }
            switch byte {
            case UInt8(ascii: "\""):
                flushRun(offset)
                advance()
                return String(scalars)
            case UInt8(ascii: "\\"):
                flushRun(offset)
                advance()
                guard let escape = peek() else { throw error("unterminated escape sequence") }
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    advance()
                    let unit = try parseHex4()
                    if (0xD800..<0xDC00).contains(unit) {
                        guard peek() == UInt8(ascii: "\\"), offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "u") else {
                            throw error("a high surrogate \\u\(String(unit, radix: 16)) must be followed by a low surrogate")
                        }
                        advance(); advance()
                        let low = try parseHex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("invalid low surrogate \\u\(String(low, radix: 16))") }
                        scalars.append(Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!)
                    } else if let scalar = Unicode.Scalar(unit) {
                        scalars.append(scalar)
                    } else {
                        throw error("a lone low surrogate \\u\(String(unit, radix: 16)) is not a character")
                    }
                    runStart = offset
                    continue
                default:
                    throw error("invalid escape '\\\(String(decoding: [escape], as: UTF8.self))' in a string")
                }
                advance()
                runStart = offset
            case 0x0A, 0x0D:
                throw unterminated("unterminated string (a line break inside a string must be written \\n)")
            case 0..<0x20:
                throw error("a control character inside a string must be escaped")
            default:
                advance()
            }
        }
    }

    private mutating func parseHex4() throws(InputError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek(), let digit = Self.hexDigit(byte) else { throw error("expected four hex digits after \\u") }
            value = value << 4 | digit
            advance()
        }
        return value
    }

    private mutating func parseNumber() throws(InputError) -> String {
        let start = offset
        if peek() == UInt8(ascii: "-") { advance() }
        guard let first = peek(), Self.isDigit(first) else { throw error("expected a digit in a number, found \(describeCurrent())") }
        if first == UInt8(ascii: "0") {
            advance()
            if let next = peek(), Self.isDigit(next) { throw error("numbers must not have leading zeros") }
        } else {
            while let byte = peek(), Self.isDigit(byte) { advance() }
        }
        if peek() == UInt8(ascii: ".") {
            advance()
            guard let byte = peek(), Self.isDigit(byte) else { throw error("expected a digit after the decimal point") }
            while let byte = peek(), Self.isDigit(byte) { advance() }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            advance()
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { advance() }
            guard let byte = peek(), Self.isDigit(byte) else { throw error("expected a digit in the exponent") }
            while let byte = peek(), Self.isDigit(byte) { advance() }
        }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    private mutating func expectWord(_ word: String) throws(InputError) {
        let expected = Array(word.utf8)
        guard offset + expected.count <= bytes.count, Array(bytes[offset..<offset + expected.count]) == expected,
              offset + expected.count == bytes.count || !Self.isIdentifierByte(bytes[offset + expected.count])
        else { throw error("expected a value, found \(describeCurrent())") }
        for _ in expected { advance() }
    }

    private mutating func expectEnd() throws(InputError) {
        skipWhitespace()
        if offset < bytes.count { throw error("unexpected \(describeCurrent()) after the end of the JSON value") }
    }

    private mutating func enter() throws(InputError) {
        depth += 1
        if depth > Self.maximumDepth { throw error("nested more than \(Self.maximumDepth) levels deep") }
    }

    // MARK: - Position

    private func peek() -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private mutating func advance() {
        if bytes[offset] == 0x0A {
            line += 1
            lineStart = offset + 1
        }
        offset += 1
    }

    private mutating func skipWhitespace() {
        while let byte = peek() {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: advance()
            case UInt8(ascii: "/") where offset + 1 < bytes.count && (bytes[offset + 1] == UInt8(ascii: "/") || bytes[offset + 1] == UInt8(ascii: "*")):
                return // reported by the caller as an unexpected '/', with a hint
            default: return
            }
        }
    }

    /// 1-based column of `position` on the current line, counting Unicode scalars (not continuation bytes).
    private func column(at position: Int) -> Int {
        Self.column(in: bytes, lineStart: lineStart, position: position)
    }

    private static func column(in bytes: [UInt8], lineStart: Int, position: Int) -> Int {
        var count = 0
        for index in lineStart..<min(position, bytes.count) where bytes[index] & 0xC0 != 0x80 { count += 1 }
        return count + 1
    }

    /// The column of an array element's start, counted on from the previous element on the same line, so that a
    /// long single-line array costs linear time.
    private mutating func elementColumn(at position: Int) -> Int {
        if columnCache.lineStart != lineStart || columnCache.offset > position {
            columnCache = (lineStart, lineStart, 1)
        }
        var count = columnCache.column
        for index in columnCache.offset..<min(position, bytes.count) where bytes[index] & 0xC0 != 0x80 { count += 1 }
        columnCache = (lineStart, position, count)
        return count
    }

    private func error(_ message: String) -> InputError {
        InputError(file: file, line: line, column: column(at: offset), message)
    }

    private func describeCurrent() -> String {
        guard offset < bytes.count else { return "the end of the file" }
        let byte = bytes[offset]
        if byte == UInt8(ascii: "/") { return "'/' (JSON has no comments)" }
        if Self.isIdentifierByte(byte) {
            var end = offset
            while end < bytes.count, Self.isIdentifierByte(bytes[end]), end - offset < 24 { end += 1 }
            return "'\(String(decoding: bytes[offset..<end], as: UTF8.self))'"
        }
        let scalarEnd = bytes[(offset + 1)...].firstIndex { $0 & 0xC0 != 0x80 } ?? bytes.count
        return "'\(String(decoding: bytes[offset..<scalarEnd], as: UTF8.self))'"
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$")
    }

    private static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case 0x30...0x39: UInt32(byte - 0x30)
        case 0x41...0x46: UInt32(byte - 0x41 + 10)
        case 0x61...0x66: UInt32(byte - 0x61 + 10)
        default: nil
        }
    }
}
