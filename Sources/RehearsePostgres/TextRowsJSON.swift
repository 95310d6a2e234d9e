import Foundation

/// Reads the one JSON shape the data reader asks the server for: an array of rows, each an array of strings and
/// nulls, as PostgreSQL's `to_json` and `json_agg` write it.
///
/// A general JSON decoder builds an object per value and was as slow as the reads it replaced; this one finds each
/// string's end with `memchr` and copies it once, decoding escapes only in strings that hold a backslash.
enum TextRowsJSON {
    /// The rows in `text`, or nil when it is not that shape or a row does not have `width` values.
    static func rows(in text: String, width: Int) -> [[String?]]? {
        var text = text
        return text.withUTF8 { bytes in
            var reader = Reader(bytes: bytes)
            return reader.rows(width: width)
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func rows(width: Int) -> [[String?]]? {
            guard consume(UInt8(ascii: "[")) else { return nil }
            var rows: [[String?]] = []
            if consume(UInt8(ascii: "]")) { return atEnd ? rows : nil }
            repeat {
                guard let row = row(), row.count == width else { return nil }
                rows.append(row)
            } while consume(UInt8(ascii: ","))
            guard consume(UInt8(ascii: "]")), atEnd else { return nil }
            return rows
        }

        private mutating func row() -> [String?]? {
            guard consume(UInt8(ascii: "[")) else { return nil }
            var values: [String?] = []
            if consume(UInt8(ascii: "]")) { return values }
            repeat {
                skipWhitespace()
                if index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
                   bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l") {
                    index += 4
                    values.append(nil)
                } else if let text = string() {
                    values.append(text)
                } else {
                    return nil
                }
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "]")) ? values : nil
        }

        /// A JSON string at `index`: the bytes up to the closing quote, unescaped when they hold a backslash.
        private mutating func string() -> String? {
            guard let base = bytes.baseAddress, index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            let start = index + 1
            var end = start
            var escaped = false
            // The closing quote is the first quote not preceded by an odd number of backslashes.
            while true {
                guard end < bytes.count, let quote = memchr(base + end, Int32(UInt8(ascii: "\"")), bytes.count - end) else { return nil }
                let position = UnsafeRawPointer(quote) - UnsafeRawPointer(base)
                var backslashes = 0
                while position - backslashes - 1 >= start, bytes[position - backslashes - 1] == UInt8(ascii: "\\") { backslashes += 1 }
                if backslashes > 0 || memchr(base + end, Int32(UInt8(ascii: "\\")), position - end) != nil { escaped = true }
                end = position
                if backslashes % 2 == 0 { break }
                end += 1
            }
            index = end + 1
            let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
            return escaped ? Self.unescaped(raw) : String(decoding: raw, as: UTF8.self)
        }

        /// Decodes `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t` and `\uXXXX` (with surrogate pairs).
        private static func unescaped(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
            var output: [UInt8] = []
            output.reserveCapacity(raw.count)
            var index = 0
            func hex(at offset: Int) -> UInt32? {
                guard offset + 4 <= raw.count else { return nil }
                return UInt32(String(decoding: UnsafeBufferPointer(rebasing: raw[offset..<offset + 4]), as: UTF8.self), radix: 16)
            }
            while index < raw.count {
                let byte = raw[index]
                guard byte == UInt8(ascii: "\\") else {
                    output.append(byte)
                    index += 1
                    continue
                }
                guard index + 1 < raw.count else { return nil }
                let code = raw[index + 1]
                index += 2
                switch code {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(code)
                case UInt8(ascii: "b"): output.append(8)
                case UInt8(ascii: "f"): output.append(12)
                case UInt8(ascii: "n"): output.append(10)
                case UInt8(ascii: "r"): output.append(13)
                case UInt8(ascii: "t"): output.append(9)
                case UInt8(ascii: "u"):
                    guard var scalar = hex(at: index) else { return nil }
                    index += 4
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard index + 6 <= raw.count, raw[index] == UInt8(ascii: "\\"), raw[index + 1] == UInt8(ascii: "u"),
                              let low = hex(at: index + 2), (0xDC00..<0xE000).contains(low) else { return nil }
                        index += 6
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { return nil }
                    output.append(contentsOf: Array(String(Character(unicode)).utf8))
                default:
                    return nil
                }
            }
            return String(decoding: output, as: UTF8.self)
        }

        private var atEnd: Bool {
            mutating get {
                skipWhitespace()
                return index == bytes.count
            }
        }

        private mutating func consume(_ byte: UInt8) -> Bool {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        private mutating func skipWhitespace() {
            while index < bytes.count, bytes[index] == 32 || bytes[index] == 10 || bytes[index] == 13 || bytes[index] == 9 { index += 1 }
        }
    }
}
