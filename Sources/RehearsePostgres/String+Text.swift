extension String {
    /// Without the line breaks that libpq puts at the end of its messages.
    var trimmingTrailingNewlines: String {
        var text = self
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return text
    }
}
