/// One row of a catalog query, read by column position with the text conventions the queries follow.
///
/// The catalog queries are ours, so a row of the wrong width is a programming error, not a
/// user's problem: it stops the program (`precondition`) rather than being reported as a check.
struct PostgresCatalogRow {
    /// The query's name, for the precondition message.
    let query: String
    let values: [String?]

    init(query: String, values: [String?], width: Int) {
        precondition(values.count == width, "catalog query \(query) returned \(values.count) columns, expected \(width)")
        self.query = query
        self.values = values
    }

    /// A value the query never returns as NULL (names, definitions); NULL reads as the empty string.
    func text(_ index: Int) -> String {
        values[index] ?? ""
    }

    /// A value that may be NULL; the empty string also reads as absent.
    func optional(_ index: Int) -> String? {
        guard let value = values[index], !value.isEmpty else { return nil }
        return value
    }

    /// A boolean rendered by PostgreSQL's text output (`t`/`true`).
    func flag(_ index: Int) -> Bool {
        values[index] == "t" || values[index] == "true"
    }

    func integer(_ index: Int) -> Int? {
        values[index].flatMap { Int($0) }
    }
}
