import RehearseCore

extension CheckFailure {
    /// The details without the lines that only repeat ``message``.
    ///
    /// A script failure's message is the first line of its server error, and with a context (`the second run
    /// failed:`) the context and that line joined; the details start with the same text. Shown after the
    /// message, those lines would say everything twice. Empty when the details say nothing more.
    public var additionalDetails: String {
        let lines = details.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let target = Self.normalized(message)
        for count in 1...max(1, min(3, lines.count)) where count <= lines.count {
            let joined = Self.normalized(lines.prefix(count).joined(separator: " "))
            if joined == target {
                return lines.dropFirst(count).drop { $0.trimmingCharacters(in: .whitespaces).isEmpty }.joined(separator: "\n")
            }
            if joined.count >= target.count { break }
        }
        return details
    }

    /// Collapses runs of white space, so that `ctx:` + `file:1: error` matches `ctx: file:1: error`.
    private static func normalized(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
