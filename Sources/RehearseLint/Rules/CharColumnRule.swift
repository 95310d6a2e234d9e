/// Advisory: `char(n)` pads every value with spaces to its length; it is no faster than `text` and its padding
/// trips up comparisons and client code.
struct CharColumnRule: LintRule {
    let name = "char-column"
    let severity = LintSeverity.advisory
    let summary = "`char(n)` columns (blank-padded; prefer `text` with a `CHECK` on the length)"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        statement.declaredColumns.compactMap { table, column, type, location in
            guard type.name == "bpchar" else { return nil }
            let length = type.modifiers?.first ?? 1
            return LintViolation(
                "\(table).\(column) is \(type): char(n) pads every value with spaces to \(length) characters, which comparisons, LIKE and client code trip over, and is no faster than text; use text (or varchar) with CHECK (char_length(\(column)) = \(length))",
                at: location
            )
        }
    }
}
