/// `ALTER COLUMN … SET NOT NULL` on an existing table: PostgreSQL scans every row to prove it under an ACCESS
/// EXCLUSIVE lock, unless a validated `CHECK (column IS NOT NULL)` already proves it (PostgreSQL 12+).
struct SetNotNullRule: LintRule {
    let name = "set-not-null"
    let severity = LintSeverity.error
    let summary = "`SET NOT NULL` on an existing table without a validated `CHECK (… IS NOT NULL)` (full scan under an ACCESS EXCLUSIVE lock)"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        statement.commands("AT_SetNotNull").compactMap { table, command in
            guard context.isExisting(table), let column = command["name"]?.string,
                  !context.schema.hasProvenNotNull(table, column) else { return nil }
            return LintViolation(
                "SET NOT NULL on \(table).\(column) scans every row of \(table) (an existing table) while holding an ACCESS EXCLUSIVE lock, so reads and writes wait for the whole scan; first ADD CONSTRAINT … CHECK (\(column) IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT (which lets reads and writes through), then SET NOT NULL, which PostgreSQL 12+ does without a scan, and drop the check"
            )
        }
    }
}
