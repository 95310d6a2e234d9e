extension String {
    /// Without the line breaks that libpq and command-line tools put at the end of its messages.
    package var trimmingTrailingNewlines: String {
        var text = self
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return text
    }

    /// The text of a NUL-terminated C buffer filled in place (`mkstemp`, `mkdtemp`).
    package init(nulTerminated buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Every `character` doubled, as SQL quotes a quote inside a literal or an identifier. Foundation's
    /// `replacingOccurrences` bridges to `NSString` and copies the text even when it holds none: a hot cost when
    /// every catalog read quotes its settings.
    package func doubling(_ character: Character) -> String {
        guard contains(character) else { return self }
        var result = ""
        result.reserveCapacity(utf8.count + 8)
        for each in self {
            result.append(each)
            if each == character { result.append(each) }
        }
        return result
    }

    /// Whether the text holds `word`, ignoring the case of ASCII letters. Foundation's
    /// `range(of:options: .caseInsensitive)` bridges to `NSString`: a hot cost when every statement of every file
    /// is asked at every step.
    package func containsIgnoringASCIICase(_ word: String) -> Bool {
        let needle = word.utf8.map(Self.foldedASCII)
        if let found = utf8.withContiguousStorageIfAvailable({ Self.search(needle, in: $0) }) { return found }
        return Self.search(needle, in: Array(utf8))
    }

    private static func foldedASCII(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    private static func search(_ needle: [UInt8], in bytes: some RandomAccessCollection<UInt8>) -> Bool {
        guard let first = needle.first else { return true }
        guard bytes.count >= needle.count else { return false }
        var start = bytes.startIndex
        let last = bytes.index(bytes.endIndex, offsetBy: -needle.count)
        while start <= last {
            if foldedASCII(bytes[start]) == first {
                var matched = 1
                var position = bytes.index(after: start)
                while matched < needle.count, foldedASCII(bytes[position]) == needle[matched] {
                    matched += 1
                    position = bytes.index(after: position)
                }
                if matched == needle.count { return true }
            }
            start = bytes.index(after: start)
        }
        return false
    }
}
