import RehearseCore

extension ScriptStatement {
    /// The file line and column of the character at 1-based `position` in ``text`` (the server's
    /// STATEMENT_POSITION), given that the text starts at ``line``:``column`` of its file.
    func location(ofCharacter position: Int) -> (line: Int, column: Int) {
        var line = self.line, column = self.column
        for scalar in text.unicodeScalars.prefix(max(position - 1, 0)) {
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}
