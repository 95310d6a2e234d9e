internal import CPgQuery

/// A file libpg_query cannot read: lint checks none of its statements. `verify` still sends such a file to the
/// server, which may accept syntax newer than the parser.
struct UnparsableSQLRule: LintRule {
    let name = "unparsable-sql"
    let severity = LintSeverity.error
    let summary = "SQL that PostgreSQL's parser (libpg_query) cannot read, so no other rule could check it"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] { [] }

    /// The finding for a file that stopped the parser with `message`.
    func violation(_ message: String) -> LintViolation {
        LintViolation(
            "the PostgreSQL \(PG_MAJORVERSION) parser cannot read this file (\(message)), so lint checked none of its statements; fix the SQL, or, for syntax only a newer server accepts, silence unparsable-sql with a -- rehearse:allow comment at the top of the file"
        )
    }
}
