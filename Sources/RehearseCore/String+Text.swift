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
}
