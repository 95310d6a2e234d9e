/// A `CREATE` (or `ADD COLUMN`, `ADD CONSTRAINT`, `ADD VALUE`) that fails when the script runs a second time,
/// where the layout requires scripts that are safe to re-run.
///
/// Statements inside a `DO` block are left alone: a `DO` block is how a guard (`IF NOT EXISTS (…) THEN`) is
/// written for what has no `IF NOT EXISTS` of its own.
struct CreateWithoutIfNotExistsRule: LintRule {
    let name = "create-without-if-not-exists"
    let severity = LintSeverity.error
    let summary = "`CREATE` / `ADD COLUMN` / `ADD CONSTRAINT` that fails on a second run, where the layout requires re-runnable scripts"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        guard let reason = context.idempotence, !statement.nested else { return [] }
        let body = statement.body
        func fails(_ what: String, _ fix: String, at location: Int? = nil) -> LintViolation {
            LintViolation("\(what) fails when the script runs a second time, and \(reason); \(fix)", at: location)
        }
        let guardInDo = "guard it in a DO block (IF NOT EXISTS (SELECT 1 FROM pg_catalog…) THEN … END IF)"
        // DROP … IF EXISTS earlier in the file makes creating the object again safe to re-run.
        if let name = Self.createdName(statement), context.droppedIfExists.contains(name) { return [] }
        switch statement.kind {
        case "CreateStmt", "CreateTableAsStmt":
            guard body["if_not_exists"]?.bool != true else { return [] }
            let view = body["objtype"]?.string == "OBJECT_MATVIEW"
            let table = TableName(rangeVar: body["relation"] ?? body["into"]?["rel"]).map { " \($0)" } ?? ""
            let what = view ? "CREATE MATERIALIZED VIEW" : "CREATE TABLE"
            return [fails("\(what)\(table) without IF NOT EXISTS", "write \(what) IF NOT EXISTS")]
        case "IndexStmt":
            guard body["if_not_exists"]?.bool != true else { return [] }
            guard let index = body["idxname"]?.string else {
                return [LintViolation(
                    "CREATE INDEX without a name builds one more index every time the script runs, and \(reason); name the index and write CREATE INDEX IF NOT EXISTS <name>"
                )]
            }
            return [fails("CREATE INDEX \(index) without IF NOT EXISTS", "write CREATE INDEX IF NOT EXISTS \(index)")]
        case "CreateSeqStmt", "CreateSchemaStmt", "CreateExtensionStmt":
            guard body["if_not_exists"]?.bool != true else { return [] }
            let what = statement.kind == "CreateSeqStmt" ? "SEQUENCE" : statement.kind == "CreateSchemaStmt" ? "SCHEMA" : "EXTENSION"
            return [fails("CREATE \(what) without IF NOT EXISTS", "write CREATE \(what) IF NOT EXISTS")]
        case "ViewStmt", "CreateFunctionStmt", "CreateTrigStmt", "RuleStmt":
            guard body["replace"]?.bool != true else { return [] }
            let what = switch statement.kind {
            case "ViewStmt": "VIEW"
            case "CreateTrigStmt": "TRIGGER"
            case "RuleStmt": "RULE"
            default: body["is_procedure"]?.bool == true ? "PROCEDURE" : "FUNCTION"
            }
            let name = body["trigname"]?.string ?? body["rulename"]?.string
            if let name, context.droppedIfExists.contains(name) { return [] }
            return [fails("CREATE \(what) without OR REPLACE", "write CREATE OR REPLACE \(what)")]
        case "CreateEnumStmt", "CompositeTypeStmt", "CreateRangeStmt", "CreateDomainStmt":
            let name = (body["typeName"]?.names ?? body["domainname"]?.names ?? body["typevar"].flatMap { TableName(rangeVar: $0) }.map { [$0.name] } ?? []).last
            if let name, context.droppedIfExists.contains(name) { return [] }
            let what = statement.kind == "CreateDomainStmt" ? "CREATE DOMAIN" : "CREATE TYPE"
            return [fails("\(what)\(name.map { " \($0)" } ?? "") (which has no IF NOT EXISTS)", guardInDo)]
        case "CreatePolicyStmt":
            if let name = body["policy_name"]?.string, context.droppedIfExists.contains(name) { return [] }
            return [fails("CREATE POLICY (which has no IF NOT EXISTS)", "DROP POLICY IF EXISTS first, or \(guardInDo)")]
        case "CreateRoleStmt":
            return [fails("CREATE ROLE (which has no IF NOT EXISTS)", guardInDo)]
        case "AlterEnumStmt":
            guard body["newVal"] != nil, body["oldVal"] == nil, body["skipIfNewValExists"]?.bool != true else { return [] }
            return [fails("ALTER TYPE … ADD VALUE without IF NOT EXISTS", "write ADD VALUE IF NOT EXISTS")]
        case "AlterTableStmt":
            return alterTable(statement, context: context, fails: fails, guardInDo: guardInDo)
        default:
            return []
        }
    }

    /// The name of the object a `CREATE` statement makes.
    static func createdName(_ statement: LintStatement) -> String? {
        let body = statement.body
        switch statement.kind {
        case "CreateStmt": return body["relation"]?["relname"]?.string
        case "CreateTableAsStmt": return body["into"]?["rel"]?["relname"]?.string
        case "ViewStmt": return body["view"]?["relname"]?.string
        case "CreateSeqStmt": return body["sequence"]?["relname"]?.string
        case "IndexStmt": return body["idxname"]?.string
        case "CreateFunctionStmt": return body["funcname"]?.names.last
        default: return nil
        }
    }

    private func alterTable(
        _ statement: LintStatement, context: LintContext, fails: (String, String, Int?) -> LintViolation, guardInDo: String
    ) -> [LintViolation] {
        guard let alter = statement.alterTable else { return [] }
        var dropped = context.droppedIfExists
        var violations: [LintViolation] = []
        for command in alter.commands {
            switch command["subtype"]?.string {
            case "AT_DropConstraint" where command["missing_ok"]?.bool == true:
                if let name = command["name"]?.string { dropped.insert(name) }
            case "AT_AddColumn" where command["missing_ok"]?.bool != true:
                let column = command["def"]?.node("ColumnDef")
                let name = column?["colname"]?.string ?? "a column"
                violations.append(fails(
                    "ADD COLUMN \(alter.table).\(name) without IF NOT EXISTS", "write ADD COLUMN IF NOT EXISTS \(name)", column?.location
                ))
            case "AT_AddConstraint":
                let constraint = command["def"]?.node("Constraint")
                guard let name = constraint?["conname"]?.string else {
                    violations.append(fails(
                        "ADD CONSTRAINT without a name on \(alter.table)", "name the constraint and \(guardInDo)", constraint?.location
                    ))
                    continue
                }
                if dropped.contains(name) { continue }
                violations.append(fails(
                    "ADD CONSTRAINT \(name) on \(alter.table) (which has no IF NOT EXISTS)",
                    "DROP CONSTRAINT IF EXISTS \(name) first, or \(guardInDo)", constraint?.location
                ))
            default:
                continue
            }
        }
        return violations
    }
}
