/// `UNIQUE`, `PRIMARY KEY` or `EXCLUDE` added to an existing table without `USING INDEX`: PostgreSQL builds the
/// index while it holds an ACCESS EXCLUSIVE lock.
struct AddUniqueConstraintRule: LintRule {
    let name = "add-unique-constraint"
    let severity = LintSeverity.error
    let summary = "`UNIQUE` / `PRIMARY KEY` / `EXCLUDE` added to an existing table without `USING INDEX` (builds the index under an ACCESS EXCLUSIVE lock)"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        statement.addedConstraints.compactMap { table, constraint in
            guard context.isExisting(table) else { return nil }
            let kind: String
            switch constraint["contype"]?.string {
            case "CONSTR_UNIQUE": kind = "UNIQUE"
            case "CONSTR_PRIMARY": kind = "PRIMARY KEY"
            case "CONSTR_EXCLUSION":
                return LintViolation(
                    "EXCLUDE constraint on \(table) (an existing table) builds its index while holding an ACCESS EXCLUSIVE lock, blocking reads and writes for the whole build; PostgreSQL has no USING INDEX for exclusion constraints, so run it when \(table) is idle, or enforce the rule in a trigger",
                    at: constraint.location
                )
            default: return nil
            }
            guard constraint["indexname"] == nil else { return nil }
            return LintViolation(
                "ADD \(kind) on \(table) (an existing table) builds its index while holding an ACCESS EXCLUSIVE lock, blocking reads and writes for the whole build; first CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … \(kind) USING INDEX that index",
                at: constraint.location
            )
        }
    }
}
