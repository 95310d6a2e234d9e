import RehearseCore

/// The catalogue of rules, in the order reports and the README list them.
enum LintRules {
    static let all: [any LintRule] = [
        AddColumnVolatileDefaultRule(),
        AddRequiredColumnRule(),
        SetNotNullRule(),
        AddCheckConstraintRule(),
        AddForeignKeyRule(),
        AddUniqueConstraintRule(),
        CreateIndexNonConcurrentlyRule(),
        DropIndexNonConcurrentlyRule(),
        ReindexNonConcurrentlyRule(),
        ConcurrentlyInTransactionRule(),
        AlterColumnTypeRule(),
        RenameColumnRule(),
        RenameTableRule(),
        DropColumnRule(),
        DropTableRule(),
        VacuumFullRule(),
        ClusterRule(),
        LockTableRule(),
        EnumValueUsedInTransactionRule(),
        RequireLockTimeoutRule(),
        CreateWithoutIfNotExistsRule(),
        DropWithoutIfExistsRule(),
        CharColumnRule(),
        VarcharGrowthRule(),
        TimestampWithoutTimeZoneRule(),
        UnparsableSQLRule(),
    ]

    static func named(_ name: String) -> (any LintRule)? {
        all.first { $0.name == name }
    }

    /// The name of `verify`'s measured check, which an allow may name as it names a rule (DESIGN.md, "Lint and
    /// safety"): lint has nothing to silence for it but must not call it unknown.
    static let safetyCheck = Check.safety.rawValue

    /// Whether an allow (comment or configuration) may name `name`: a rule, or the `safety` check.
    static func isAllowable(_ name: String) -> Bool {
        name == safetyCheck || named(name) != nil
    }

    /// `; did you mean `set-not-null`?` for a misspelt name, or nothing when no rule is close.
    static func suggestion(for name: String) -> String {
        let closest = all.map(\.name).min { ChainBuilder.distance($0, name) < ChainBuilder.distance($1, name) }
        guard let closest, ChainBuilder.distance(closest, name) <= max(3, name.count / 3) else {
            return "; the rules are listed by `rehearse lint --help` and in the README"
        }
        return "; did you mean `\(closest)`?"
    }
}
