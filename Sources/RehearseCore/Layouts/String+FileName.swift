extension String {
    /// The file name without its last extension: `V2__add_email` for `V2__add_email.sql`.
    var stem: String {
        guard let dot = lastIndex(of: "."), dot != startIndex else { return self }
        return String(self[..<dot])
    }
}
