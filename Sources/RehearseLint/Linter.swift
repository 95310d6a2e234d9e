import Foundation
import RehearseCore

/// `rehearse lint`: reads every forward PostgreSQL file of a repository and reports the statements that break a
/// static safety rule, without a server (DESIGN.md, "Lint and safety").
///
/// The linter follows each suite's history: a subject that starts from another subject's result finds the tables
/// that one left, so "an existing table" is one an earlier migration created. Findings are silenced by
/// `-- rehearse:allow <rule>` on the comment lines before a statement, or for a whole suite by its configuration
/// (``RehearsalSuite/allowedRules``).
public struct Linter: Sendable {
    private let reader = StatementReader()

    public init() {}

    /// Every rule, in the order the README lists them.
    public static var rules: [LintRuleDescription] {
        LintRules.all.map { LintRuleDescription(name: $0.name, severity: $0.severity, summary: $0.summary) }
    }

    /// Reads the repository at `path` with its layout (or `layout`) and lints it.
    ///
    /// - Throws: ``InputError`` (or ``InputErrors``) for a repository that cannot be read, a file that cannot be
    ///   opened, or an allowed rule that does not exist.
    public func lint(path: String, layout: String? = nil) throws -> LintReport {
        try lint(MigrationSources.load(path: path, layout: layout))
    }

    /// Lints every PostgreSQL suite of `repository`; MongoDB suites have no SQL to read.
    ///
    /// - Throws: ``InputError`` (or ``InputErrors``, all of them together) for a file that cannot be opened or an
    ///   allowed rule name that is not a rule.
    public func lint(_ repository: LoadedRepository) throws -> LintReport {
        var run = Run()
        for suite in repository.suites where suite.database == .postgresql {
            for name in suite.allowedRules where LintRules.named(name) == nil {
                run.errors.append(InputError(
                    file: suite.allowedRulesFile ?? suite.displayPath, line: suite.allowedRulesLine,
                    "allows `\(name)`, which is not a lint rule\(LintRules.suggestion(for: name))"
                ))
            }
            var results: [MigrationSubject: SchemaState] = [:]
            for subject in suite.subjects {
                var schema: SchemaState
                switch subject.start {
                case .empty: schema = .empty
                case let .resultOf(start): schema = results[start]?.asStart ?? .unknown()
                case .unavailable: schema = .unknown()
                }
                for file in subject.forward {
                    lint(file, subject: subject, suite: suite, schema: &schema, run: &run)
                }
                results[subject.id] = schema
            }
        }
        try InputErrors.throwIfAny(run.errors)
        return LintReport(
            repository: repository.displayPath, layout: repository.layout, findings: run.findings, fileCount: run.files.count
        )
    }

    /// What one run has gathered so far.
    private struct Run {
        var findings: [LintFinding] = []
        var seen: Set<LintFinding> = []
        var errors: [InputError] = []
        var files: Set<String> = []

        mutating func add(_ finding: LintFinding) {
            if seen.insert(finding).inserted { findings.append(finding) }
        }
    }

    private func lint(_ file: ScriptFile, subject: RehearsalSubject, suite: RehearsalSuite, schema: inout SchemaState, run: inout Run) {
        run.files.insert(file.displayPath)
        var bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: file.url))
        } catch {
            run.errors.append(InputError(file: file.displayPath, "cannot read the file: \((error as NSError).localizedDescription)"))
            return
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let directives = AllowDirectives(text: String(decoding: bytes, as: UTF8.self))
        for (line, names) in directives.rules.sorted(by: { $0.key < $1.key }) {
            for name in names where LintRules.named(name) == nil {
                run.errors.append(InputError(
                    file: file.displayPath, line: line, "`-- \(AllowDirectives.marker) \(name)` names no lint rule\(LintRules.suggestion(for: name))"
                ))
            }
        }
        let suiteAllowed = Set(suite.allowedRules)
        func finding(_ rule: any LintRule, _ violation: LintViolation, line: Int, column: Int) -> LintFinding {
            LintFinding(
                rule: rule.name, severity: violation.severity ?? rule.severity, message: violation.message,
                file: file.displayPath, line: line, column: column, suite: suite.fullName, subject: subject.id.description
            )
        }

        let statements: [LintStatement]
        switch reader.read(bytes, file: file.displayPath) {
        case let .unparsable(line, column, message):
            let rule = UnparsableSQLRule()
            var allowed = suiteAllowed.union(directives.leadingRules)
            if let line { allowed.formUnion(directives.allowed(before: line)) }
            if !allowed.contains(rule.name) {
                run.add(finding(rule, rule.violation(message), line: line ?? 1, column: column ?? 1))
            }
            return
        case let .statements(read):
            statements = read
        }

        let idempotence = idempotenceReason(statements, file: file, subject: subject, layout: suite.layout)
        var transactions = TransactionTracker(execution: file.execution, layout: suite.layout, statements: statements)
        var settings = SessionSettings()
        var enclosingAllowed = Set<String>()
        for statement in statements {
            let (transaction, block) = transactions.enter(statement)
            var allowed = suiteAllowed.union(directives.allowed(before: statement.line))
            if statement.nested { allowed.formUnion(enclosingAllowed) } else { enclosingAllowed = allowed }
            let context = LintContext(
                file: file, schema: schema, transactionBlock: block,
                lockTimeoutSet: settings.lockTimeoutSet(in: transaction), idempotence: idempotence,
                newEnumValues: settings.newEnumValues(in: transaction), droppedIfExists: settings.droppedIfExists
            )
            for rule in LintRules.all where !allowed.contains(rule.name) {
                for violation in rule.check(statement, in: context) {
                    let position = statement.position(ofByte: violation.location)
                    run.add(finding(rule, violation, line: position.line, column: position.column))
                }
            }
            schema.apply(statement)
            settings.apply(statement, transaction: transaction)
        }
    }

    /// Why the file must be safe to run twice (DESIGN.md, "Idempotence, precisely"); nil when it need not be.
    private func idempotenceReason(_ statements: [LintStatement], file: ScriptFile, subject: RehearsalSubject, layout: String) -> String? {
        switch subject.idempotence {
        case .always:
            return layout == "primary"
                ? "the primary layout promises scripts that are safe to run twice"
                : "this migration must be safe to run twice (a repeatable migration, or idempotence: always)"
        case .never:
            return nil
        case .outsideTransaction:
            var tracker = TransactionTracker(execution: file.execution, layout: layout, statements: statements)
            let outside = statements.contains { statement in
                let block = tracker.enter(statement).block
                return !statement.nested && block == nil && statement.kind != "TransactionStmt"
            }
            return outside ? "this file runs outside a transaction, so a failure halfway leaves a partial state that is run again" : nil
        }
    }
}
