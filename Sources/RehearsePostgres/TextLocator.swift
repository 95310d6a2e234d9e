/// Turns byte offsets and character positions in a UTF-8 text into 1-based lines and columns.
///
/// Columns count Unicode scalars, as PostgreSQL counts characters in its error positions.
struct TextLocator {
    let bytes: [UInt8]
    /// Byte offset where each line starts; line 1 starts at 0.
    private let lineStarts: [Int]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(offset + 1)
        }
        lineStarts = starts
    }

    /// The 1-based line and column of the character starting at byte `offset` (clamped to the text).
    func position(ofByte offset: Int) -> (line: Int, column: Int) {
        let offset = min(max(offset, 0), bytes.count)
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        let column = bytes[lineStarts[low]..<offset].reduce(0) { $0 + (Self.isContinuation($1) ? 0 : 1) }
        return (low + 1, column + 1)
    }

    /// ``position(ofByte:)`` of each of `offsets`, which must not decrease, in one pass over the text: linear in
    /// the text and the offsets, however many of them share one long line.
    func positions(ofAscendingBytes offsets: [Int]) -> [(line: Int, column: Int)] {
        var positions: [(line: Int, column: Int)] = []
        positions.reserveCapacity(offsets.count)
        // The line being read, how far into the text its characters have been counted, and how many there were.
        var line = 0, counted = 0, column = 0
        for offset in offsets {
            let offset = min(max(offset, 0), bytes.count)
            guard offset >= counted else {
                positions.append(position(ofByte: offset))
                continue
            }
            while line + 1 < lineStarts.count, lineStarts[line + 1] <= offset {
                line += 1
                (counted, column) = (lineStarts[line], 0)
            }
            while counted < offset {
                if !Self.isContinuation(bytes[counted]) { column += 1 }
                counted += 1
            }
            positions.append((line + 1, column + 1))
        }
        return positions
    }

    /// The byte offset of the character with 0-based index `index` (the text's end when past it).
    func byteOffset(ofCharacter index: Int) -> Int {
        var seen = 0
        for (offset, byte) in bytes.enumerated() where !Self.isContinuation(byte) {
            if seen == index { return offset }
            seen += 1
        }
        return bytes.count
    }

    private static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }
}
