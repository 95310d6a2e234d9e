/// One statement of a forward file with its parse tree and where it stands in the file.
struct LintStatement: Sendable {
    /// The statement node, e.g. `{"AlterTableStmt": {…}}`.
    let node: ParseNode
    /// Its text as parsed; parse-tree locations are byte offsets into it.
    let text: String
    /// 1-based line and column of the text's first character in the file.
    let line: Int
    let column: Int
    /// True for a statement inside a `DO` block: it runs within that block's single statement and transaction,
    /// and a guard around it (`IF NOT EXISTS (…) THEN`) may make it safe to re-run.
    let nested: Bool
    /// True for a statement PostgreSQL refuses inside a transaction block (the parser's verdict, as `verify` uses it).
    let nonTransactional: Bool

    init(node: ParseNode, text: String, line: Int, column: Int, nested: Bool, nonTransactional: Bool = false) {
        self.node = node
        self.text = text
        self.line = line
        self.column = column
        self.nested = nested
        self.nonTransactional = nonTransactional
    }

    /// `AlterTableStmt`.
    var kind: String { node.kind ?? "" }
    /// The statement's fields.
    var body: ParseNode { node.body ?? .null }

    /// The file line and column of byte `offset` of ``text`` (the statement's start when nil).
    func position(ofByte offset: Int?) -> (line: Int, column: Int) {
        guard let offset, offset > 0 else { return (line, column) }
        var line = self.line, column = self.column
        for byte in text.utf8.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    /// What the statement is, for messages (`ALTER TABLE`, `CREATE UNIQUE INDEX`).
    var label: String {
        let words = text.split(whereSeparator: { $0.isWhitespace || $0 == "(" }).map { $0.uppercased() }
        let skipped: Set<String> = ["UNIQUE", "OR", "REPLACE", "CONSTRAINT", "MATERIALIZED", "CONCURRENTLY", "FULL"]
        var label: [String] = []
        for word in words {
            label.append(word)
            if label.count >= 2, !skipped.contains(word) { break }
        }
        return label.joined(separator: " ")
    }
}
