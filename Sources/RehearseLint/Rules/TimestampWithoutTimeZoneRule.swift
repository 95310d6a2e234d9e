/// Advisory: `timestamp without time zone` stores a wall-clock reading without its zone.
struct TimestampWithoutTimeZoneRule: LintRule {
    let name = "timestamp-without-time-zone"
    let severity = LintSeverity.advisory
    let summary = "`timestamp without time zone` columns (prefer `timestamptz`)"

    func check(_ statement: LintStatement, in context: LintContext) -> [LintViolation] {
        statement.declaredColumns.compactMap { table, column, type, location in
            guard type.name == "timestamp" else { return nil }
            return LintViolation(
                "\(table).\(column) is timestamp without time zone: it stores a wall-clock reading without its zone, so its meaning depends on each writer's TimeZone setting and an hour repeats at every DST change; use timestamptz, which stores an instant",
                at: location
            )
        }
    }
}
