/// A value added by `ALTER TYPE … ADD VALUE` used later in the same transaction: PostgreSQL refuses it until
/// the transaction that added it commits (SQLSTATE 55P04, "unsafe use of new value").
struct EnumValueUsedInTransactionRule: LintRule {
    let name = "enum-value-used-in-transaction"
    let severity = LintSeverity.error
    let summary = "an enum value added by `ALTER TYPE … ADD VALUE` used in the same transaction (fails with SQLSTATE 55P04)"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        guard !context.newEnumValues.isEmpty, statement.kind != "AlterEnumStmt" else { return [] }
        var reported = Set<String>()
        return statement.stringConstants.compactMap { value, location in
            guard let type = context.newEnumValues[value], reported.insert(value).inserted else { return nil }
            return LintViolation(
                "'\(value)' was added to \(type) by ALTER TYPE … ADD VALUE earlier in this transaction, and PostgreSQL refuses to use a new enum value before the transaction that added it commits (SQLSTATE 55P04); add the value in a migration (or transaction) of its own, and use it after that has committed",
                at: location
            )
        }
    }
}
