/// A foreign key added to an existing table without `NOT VALID`: PostgreSQL checks every row while it holds
/// SHARE ROW EXCLUSIVE locks on both tables.
struct AddForeignKeyRule: LintRule {
    let name = "add-foreign-key"
    let severity = LintSeverity.error
    let summary = "`FOREIGN KEY` added to an existing table without `NOT VALID` (checks every row, blocking writes to both tables)"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        statement.addedConstraints.compactMap { table, constraint in
            guard context.isExisting(table), constraint["contype"]?.string == "CONSTR_FOREIGN",
                  constraint["skip_validation"]?.bool != true else { return nil }
            let referenced = TableName(rangeVar: constraint["pktable"]).map { " and \($0)" } ?? ""
            let named = constraint["conname"]?.string.map { " \($0)" } ?? ""
            return LintViolation(
                "FOREIGN KEY\(named) on \(table) (an existing table) checks every row while holding SHARE ROW EXCLUSIVE locks on \(table)\(referenced), blocking their writes; add it with NOT VALID, then VALIDATE CONSTRAINT in a later transaction (the locks the ADD took are held until its transaction ends), which lets reads and writes through",
                at: constraint.location
            )
        }
    }
}
