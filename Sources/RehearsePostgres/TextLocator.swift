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
