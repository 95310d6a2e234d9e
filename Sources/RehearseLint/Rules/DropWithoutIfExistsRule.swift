/// A `DROP` (or `DROP COLUMN`, `DROP CONSTRAINT`) without `IF EXISTS`, where the layout requires scripts that
/// are safe to re-run: the second run finds nothing to drop and fails.
struct DropWithoutIfExistsRule: LintRule {
    let name = "drop-without-if-exists"
    let severity = LintSeverity.error
    let summary = "`DROP` / `DROP COLUMN` / `DROP CONSTRAINT` without `IF EXISTS`, where the layout requires re-runnable scripts"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        guard let reason = context.idempotence, !statement.nested else { return [] }
        func fails(_ what: String, _ fix: String) -> LintViolation {
            LintViolation("\(what) without IF EXISTS fails when the script runs a second time, and \(reason); write \(fix)")
        }
        switch statement.kind {
        case "DropStmt":
            guard statement.body["missing_ok"]?.bool != true else { return [] }
            let what = (statement.body["removeType"]?.string ?? "OBJECT_").replacingOccurrences(of: "OBJECT_", with: "")
                .replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "MATVIEW", with: "MATERIALIZED VIEW")
            return [fails("DROP \(what)", "DROP \(what) IF EXISTS")]
        case "DropRoleStmt":
            guard statement.body["missing_ok"]?.bool != true else { return [] }
            return [fails("DROP ROLE", "DROP ROLE IF EXISTS")]
        case "AlterTableStmt":
            return statement.commands("AT_DropColumn").compactMap { table, command in
                guard command["missing_ok"]?.bool != true else { return nil }
                let column = command["name"]?.string ?? "the column"
                return fails("DROP COLUMN \(table).\(column)", "DROP COLUMN IF EXISTS \(column)")
            } + statement.commands("AT_DropConstraint").compactMap { table, command in
                guard command["missing_ok"]?.bool != true else { return nil }
                let constraint = command["name"]?.string ?? "the constraint"
                return fails("DROP CONSTRAINT \(constraint) on \(table)", "DROP CONSTRAINT IF EXISTS \(constraint)")
            }
        default:
            return []
        }
    }
}
