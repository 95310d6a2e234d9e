/// A `CHECK` constraint added to an existing table without `NOT VALID`: PostgreSQL checks every row under an
/// ACCESS EXCLUSIVE lock.
struct AddCheckConstraintRule: LintRule {
    let name = "add-check-constraint"
    let severity = LintSeverity.error
    let summary = "`CHECK` added to an existing table without `NOT VALID` (checks every row under an ACCESS EXCLUSIVE lock)"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        statement.addedConstraints.compactMap { table, constraint in
            guard context.isExisting(table), constraint["contype"]?.string == "CONSTR_CHECK",
                  constraint["skip_validation"]?.bool != true else { return nil }
            let named = constraint["conname"]?.string.map { " \($0)" } ?? ""
            return LintViolation(
                "ADD CONSTRAINT\(named) CHECK on \(table) (an existing table) checks every row while holding an ACCESS EXCLUSIVE lock, blocking reads and writes; add it with NOT VALID (new rows are checked at once), then VALIDATE CONSTRAINT in a later transaction (the lock the ADD took is held until its transaction ends), which takes only a SHARE UPDATE EXCLUSIVE lock",
                at: constraint.location
            )
        }
    }
}
