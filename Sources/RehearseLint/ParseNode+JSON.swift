/// Reading libpg_query's JSON straight into ``ParseNode``s.
///
/// `JSONDecoder` with a `Decodable` enum tries each case in turn and builds an error with its coding path for
/// every miss: for the trees of a 50 MB script that took minutes. This reader makes one pass over the bytes.
extension ParseNode {
    /// Parses the JSON text `json` (one value, optionally surrounded by white space).
    ///
    /// - Throws: ``MalformedJSON`` with the byte offset where the text stops being JSON.
    static func read(json: String) throws -> ParseNode {
        var json = json
        return try json.withUTF8 { bytes in
            var reader = Reader(bytes: bytes)
            let value = try reader.value(depth: 0)
            reader.skipWhitespace()
            guard reader.offset == bytes.count else { throw MalformedJSON(offset: reader.offset) }
            return value
        }
    }

    /// Text that is not the JSON libpg_query writes.
    struct MalformedJSON: Error, Equatable {
        var offset: Int
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var offset = 0

        /// Foundation's JSON parser's limit, which the trees were read with before: a tree nested deeper is refused
        /// (the statement reads as unparsable) rather than exhausting the stack.
        static let maximumDepth = 512

        mutating func value(depth: Int) throws -> ParseNode {
            guard depth < Self.maximumDepth else { throw MalformedJSON(offset: offset) }
            skipWhitespace()
            guard offset < bytes.count else { throw MalformedJSON(offset: offset) }
            switch bytes[offset] {
            case UInt8(ascii: "{"):
                offset += 1
                var fields: [String: ParseNode] = [:]
                skipWhitespace()
                if try consume(UInt8(ascii: "}")) { return .object(fields) }
                repeat {
                    skipWhitespace()
                    let key = try string()
                    skipWhitespace()
                    guard try consume(UInt8(ascii: ":")) else { throw MalformedJSON(offset: offset) }
                    fields[key] = try value(depth: depth + 1)
                    skipWhitespace()
                } while try consume(UInt8(ascii: ","))
                guard try consume(UInt8(ascii: "}")) else { throw MalformedJSON(offset: offset) }
                return .object(fields)
            case UInt8(ascii: "["):
                offset += 1
                var items: [ParseNode] = []
                skipWhitespace()
                if try consume(UInt8(ascii: "]")) { return .array(items) }
                repeat {
                    items.append(try value(depth: depth + 1))
                    skipWhitespace()
                } while try consume(UInt8(ascii: ","))
                guard try consume(UInt8(ascii: "]")) else { throw MalformedJSON(offset: offset) }
                return .array(items)
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            default:
                return .number(try number())
            }
        }

        mutating func skipWhitespace() {
            while offset < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[offset]) { offset += 1 }
        }

        /// Steps over `byte` when it is next.
        private mutating func consume(_ byte: UInt8) throws -> Bool {
            guard offset < bytes.count, bytes[offset] == byte else { return false }
            offset += 1
            return true
        }

        private mutating func literal(_ word: String) throws {
            let count = word.utf8.count
            guard offset + count <= bytes.count, word.utf8.elementsEqual(bytes[offset..<(offset + count)]) else {
                throw MalformedJSON(offset: offset)
            }
            offset += count
        }

        private mutating func number() throws -> Double {
            let start = offset
            while offset < bytes.count, "+-0123456789.eE".utf8.contains(bytes[offset]) { offset += 1 }
            guard offset > start, let value = Double(String(decoding: bytes[start..<offset], as: UTF8.self)) else {
                throw MalformedJSON(offset: start)
            }
            return value
        }

        /// A string starting at its opening quote, with its escapes resolved.
        private mutating func string() throws -> String {
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { throw MalformedJSON(offset: offset) }
            offset += 1
            let start = offset
            // Most strings hold no escape: take their bytes as they are.
            while offset < bytes.count, bytes[offset] != UInt8(ascii: "\""), bytes[offset] != UInt8(ascii: "\\") { offset += 1 }
            guard offset < bytes.count else { throw MalformedJSON(offset: start) }
            if bytes[offset] == UInt8(ascii: "\"") {
                offset += 1
                return String(decoding: bytes[start..<offset - 1], as: UTF8.self)
            }
            var text = Array(bytes[start..<offset])
            while offset < bytes.count {
                let byte = bytes[offset]
                offset += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: text, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard offset < bytes.count else { throw MalformedJSON(offset: offset) }
                    let escape = bytes[offset]
                    offset += 1
                    switch escape {
                    case UInt8(ascii: "n"): text.append(0x0A)
                    case UInt8(ascii: "t"): text.append(0x09)
                    case UInt8(ascii: "r"): text.append(0x0D)
                    case UInt8(ascii: "b"): text.append(0x08)
                    case UInt8(ascii: "f"): text.append(0x0C)
                    case UInt8(ascii: "u"): text += try unicodeEscape()
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escape)
                    default: throw MalformedJSON(offset: offset - 1)
                    }
                default:
                    text.append(byte)
                }
            }
            throw MalformedJSON(offset: start)
        }

        /// The UTF-8 bytes of a `\uXXXX` escape (the `\u` already read), a surrogate pair taking two.
        private mutating func unicodeEscape() throws -> [UInt8] {
            var scalar = try hexQuad()
            if (0xD800..<0xDC00).contains(scalar), offset + 1 < bytes.count,
               bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") {
                let mark = offset
                offset += 2
                let low = try hexQuad()
                if (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    offset = mark
                }
            }
            return Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
        }

        private mutating func hexQuad() throws -> UInt32 {
            guard offset + 4 <= bytes.count,
                  let value = UInt32(String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self), radix: 16)
            else { throw MalformedJSON(offset: offset) }
            offset += 4
            return value
        }
    }
}
