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
}
