/// `ADD COLUMN` on an existing table with a value PostgreSQL must compute for every row: a volatile default
/// (`nextval`, `random()`, `gen_random_uuid()`, `clock_timestamp()`), a `serial` type, an identity or a stored
/// generated column. Since PostgreSQL 11 a constant (or stable, like `now()`) default is stored once in the
/// catalog; anything else rewrites the table under an ACCESS EXCLUSIVE lock.
struct AddColumnVolatileDefaultRule: LintRule {
    let name = "add-column-volatile-default"
    let severity = LintSeverity.error
    let summary = "`ADD COLUMN` on an existing table with a volatile default, `serial`, identity or stored generated column (rewrites the table)"

    /// Functions PostgreSQL marks volatile that migrations use as defaults.
    static let volatileFunctions: Set<String> = [
        "nextval", "random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
        "clock_timestamp", "timeofday", "txid_current", "pg_current_xact_id", "setseed", "random_normal",
    ]
    /// Stable and immutable functions common in defaults: evaluated once when the column is added.
    static let stableFunctions: Set<String> = [
        "now", "transaction_timestamp", "statement_timestamp", "current_setting", "lower", "upper", "btrim", "trim",
        "length", "char_length", "concat", "concat_ws", "coalesce", "nullif", "greatest", "least", "to_char",
        "to_date", "to_timestamp", "date_trunc", "make_interval", "make_date", "jsonb_build_object",
        "json_build_object", "jsonb_build_array", "json_build_array", "array_fill", "md5", "abs", "round", "timezone",
    ]
    static let serialTypes: Set<String> = ["serial", "bigserial", "smallserial", "serial2", "serial4", "serial8"]

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        statement.addedColumns.compactMap { table, column in
            guard context.isExisting(table), let columnName = column["colname"]?.string else { return nil }
            let place = "\(table).\(columnName)"
            let safe = "add the column without it (or with a constant default), then fill existing rows in batches of a few thousand in later statements"
            if let type = column["typeName"]?["names"]?.names.last, Self.serialTypes.contains(type) {
                return LintViolation(
                    "ADD COLUMN \(place) \(type) fills every existing row from a sequence, which rewrites \(table) (an existing table) under an ACCESS EXCLUSIVE lock; \(safe), then attach the sequence as the default",
                    at: column.location
                )
            }
            for constraint in LintStatement.constraints(of: column) {
                switch constraint["contype"]?.string {
                case "CONSTR_IDENTITY":
                    return LintViolation(
                        "ADD COLUMN \(place) GENERATED AS IDENTITY numbers every existing row, which rewrites \(table) (an existing table) under an ACCESS EXCLUSIVE lock; \(safe), then make it an identity column",
                        at: constraint.location ?? column.location
                    )
                case "CONSTR_GENERATED":
                    return LintViolation(
                        "ADD COLUMN \(place) GENERATED ALWAYS AS (…) STORED computes every existing row, which rewrites \(table) (an existing table) under an ACCESS EXCLUSIVE lock; add a plain nullable column, backfill it in batches and keep it current with a trigger",
                        at: constraint.location ?? column.location
                    )
                case "CONSTR_DEFAULT":
                    switch Self.classify(constraint["raw_expr"]) {
                    case .constant:
                        continue
                    case let .volatile(function):
                        return LintViolation(
                            "ADD COLUMN \(place) DEFAULT \(function)(…): a volatile default is evaluated for every existing row, which rewrites \(table) (an existing table) under an ACCESS EXCLUSIVE lock; \(safe), then SET DEFAULT for new rows",
                            at: constraint.location ?? column.location
                        )
                    case let .unknown(function):
                        return LintViolation(
                            "ADD COLUMN \(place) DEFAULT \(function)(…): lint cannot see whether \(function) is volatile; if it is, every existing row is computed and \(table) (an existing table) is rewritten under an ACCESS EXCLUSIVE lock; use a constant default, or \(safe)",
                            at: constraint.location ?? column.location, severity: .warning
                        )
                    }
                default:
                    continue
                }
            }
            return nil
        }
    }

    enum Kind: Equatable {
        case constant
        case volatile(String)
        case unknown(String)
    }

    /// Whether a default expression is evaluated once (constant or stable) or per row.
    static func classify(_ expression: ParseNode?) -> Kind {
        guard let expression else { return .constant }
        var unknown: String?
        for call in expression.all("FuncCall") {
            let function = call["funcname"]?.names.last?.lowercased() ?? "a function"
            if volatileFunctions.contains(function) { return .volatile(function) }
            if !stableFunctions.contains(function) { unknown = unknown ?? function }
        }
        return unknown.map { .unknown($0) } ?? .constant
    }
}
