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
            for name in suite.allowedRules where !LintRules.isAllowable(name) {
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
                var files: [(ScriptFile, StatementReader.ReadFile)] = []
                for file in subject.forward {
                    run.files.insert(file.displayPath)
                    do {
                        files.append((file, try reader.read(file)))
                    } catch let error as InputError {
                        run.errors.append(error)
                    } catch {
                        run.errors.append(InputError(file: file.displayPath, "cannot read the file: \(error)"))
                    }
                }
                let idempotence = idempotenceReason(subject, files: files.map(\.1), layout: suite.layout)
                for (file, read) in files {
                    lint(file, read.outcome, idempotence: idempotence, subject: subject, suite: suite, schema: &schema, run: &run)
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

    private func lint(
        _ file: ScriptFile, _ outcome: StatementReader.Outcome, idempotence: String?, subject: RehearsalSubject,
        suite: RehearsalSuite, schema: inout SchemaState, run: inout Run
    ) {
        let text: String
        do {
            text = String(decoding: try Data(contentsOf: file.url), as: UTF8.self)
        } catch {
            run.errors.append(InputError(file: file.displayPath, "cannot read the file: \((error as NSError).localizedDescription)"))
            return
        }
        let directives = AllowDirectives(text: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        for (line, names) in directives.rules.sorted(by: { $0.key < $1.key }) {
            for name in names where !LintRules.isAllowable(name) {
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
        switch outcome {
        case let .unparsable(line, column, message):
            let rule = UnparsableSQLRule()
            let allowed = suiteAllowed.union(directives.leadingRules).union(directives.allowed(before: line))
            if !allowed.contains(rule.name) {
                run.add(finding(rule, rule.violation(message), line: line, column: column))
            }
            return
        case let .statements(read):
            statements = read
        }

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

    /// Why the subject's files must be safe to run twice, as `verify`'s plan decides it (DESIGN.md, "Idempotence,
    /// precisely"); nil when they need not be.
    private func idempotenceReason(_ subject: RehearsalSubject, files: [StatementReader.ReadFile], layout: String) -> String? {
        switch subject.idempotence {
        case .always:
            return layout == "primary"
                ? "the primary layout promises scripts that are safe to run twice"
                : "this migration must be safe to run twice (a repeatable migration, or idempotence: always)"
        case .never:
            return nil
        case .outsideTransaction:
            return files.contains(where: \.runsOutsideTransaction)
                ? "this migration runs outside a transaction, so a failure halfway leaves a partial state that is run again"
                : nil
        }
    }
}
