import Foundation

/// `safety`: with rows in the tables that existed before, no forward statement may rewrite a pre-existing table
/// with rows, nor read all of one while a lock that blocks its writes is held on it, unless allowed as in lint
/// (DESIGN.md, "Lint and safety"; the README says why a catalog-only ACCESS EXCLUSIVE lock passes).
///
/// Measured, not guessed from the SQL: the statements run one at a time in a transaction and the engine reads its own
/// locks and the tables' relfilenodes between them. When every statement can run in a transaction, that happens on
/// the subject's own start before forward, in a transaction that is rolled back (``beforeForward(_:)``); otherwise
/// on a copy of the start, where a statement PostgreSQL runs only outside a transaction can run on its own.
struct SafetyCheck: RehearsalCheck {
    let check = Check.safety
    let needs: [Check] = [.forward]

    /// The lint rules (`rehearse lint`) whose finding is a blocking lock or a rewrite; allowing the one that matches a
    /// statement (``rules(for:)``), or `safety` itself, in a `-- rehearse:allow` comment or the suite's `allow:`
    /// accepts what this check measured on it.
    static let allowingRules: Set<String> = [
        "alter-column-type", "create-index-non-concurrently", "add-foreign-key", "set-not-null", "add-check-constraint",
        "add-unique-constraint", "add-required-column", "add-column-volatile-default", "lock-table", "rename-column",
        "rename-table", "drop-column", "drop-table", "vacuum-full", "cluster", "reindex-non-concurrently",
        "drop-index-non-concurrently",
    ]

    /// The ``allowingRules`` a statement falls under, read from its words: `safety` plus, for an `ALTER TABLE`, the
    /// rules of the subcommands it holds, for `CREATE INDEX` the index rule, and so on. Only used to honour an allow,
    /// so that allowing one kind of statement for a repository does not accept a rewrite of another kind.
    static func rules(for statement: String) -> Set<String> {
        let text = " " + statement.uppercased().split(whereSeparator: \.isWhitespace).joined(separator: " ") + " "
        func has(_ words: String) -> Bool { text.contains(" " + words + " ") || text.contains(" " + words + "(") }
        var rules: Set<String> = ["safety"]
        if text.hasPrefix(" ALTER TABLE ") {
            if has("TYPE") { rules.insert("alter-column-type") }
            if has("FOREIGN KEY") || has("REFERENCES") { rules.insert("add-foreign-key") }
            if has("SET NOT NULL") { rules.insert("set-not-null") }
            if has("CHECK") { rules.insert("add-check-constraint") }
            if has("UNIQUE") || has("PRIMARY KEY") || has("EXCLUDE") { rules.insert("add-unique-constraint") }
            // `ADD [COLUMN] name …` and `DROP [COLUMN] name`, not `ADD CONSTRAINT`, `DROP DEFAULT`, `DROP NOT NULL`.
            let words = text.split(separator: " ")
            let other: Set<Substring> = ["CONSTRAINT", "CHECK", "UNIQUE", "PRIMARY", "FOREIGN", "EXCLUDE", "DEFAULT", "NOT", "EXPRESSION", "IDENTITY"]
            func followed(_ word: Substring) -> Bool {
                words.indices.dropLast().contains { words[$0] == word && !other.contains(words[$0 + 1]) }
            }
            if followed("ADD") { rules.formUnion(["add-required-column", "add-column-volatile-default"]) }
            if followed("DROP") { rules.insert("drop-column") }
            if has("RENAME TO") { rules.insert("rename-table") } else if has("RENAME") { rules.insert("rename-column") }
        } else if let rule = Self.statementRules.first(where: { text.hasPrefix($0.prefix) })?.rule {
            rules.insert(rule)
        }
        return rules
    }

    /// The rule of a statement other than `ALTER TABLE`, by how its normalized text starts.
    private static let statementRules: [(prefix: String, rule: String)] = [
        (" CREATE INDEX ", "create-index-non-concurrently"), (" CREATE UNIQUE INDEX ", "create-index-non-concurrently"),
        (" DROP INDEX ", "drop-index-non-concurrently"), (" DROP TABLE ", "drop-table"), (" LOCK ", "lock-table"),
        (" VACUUM ", "vacuum-full"), (" CLUSTER ", "cluster"), (" REINDEX ", "reindex-non-concurrently"),
    ]

    func plan(_ subject: RehearsalSubject, _ context: PlanContext) -> PlannedCheck? {
        // An install from empty has no table that existed before it.
        guard case .resultOf = subject.start else { return nil }
        guard !subject.forward.isEmpty, subject.forward.allSatisfy({ $0.url.pathExtension.lowercased() == "sql" }) else { return nil }
        return PlannedCheck(check)
    }

    /// Whether the measurement needs a copy of the start: a forward file (or fixture) holds a statement PostgreSQL
    /// cannot run in a transaction, or could not be split, so that nobody can tell.
    static func needsStartCopy(_ subject: RehearsalSubject, _ scripts: PreparedScripts) -> Bool {
        (subject.forward + fixtures(subject)).contains { file in
            let script = scripts[file]
            return script.unsplittable != nil || script.statements.contains(where: \.nonTransactional)
        }
    }

    private static func fixtures(_ subject: RehearsalSubject) -> [ScriptFile] {
        if case let .fixtures(files) = subject.data { files } else { [] }
    }

    func beforeForward(_ run: SubjectRun) throws {
        guard !Self.needsStartCopy(run.subject, run.scripts) else { return }
        do {
            run.safetyObservation = try StepFailure.during("forward failed with rows present") {
                try run.database.observeLocks(
                    run.subject.forward.map { run.scripts[$0] }, setup: Self.fixtures(run.subject).map { run.scripts[$0] }, inPlace: true
                )
            }
        } catch let step as StepFailure where step.underlying is LocksUnsupported {
            // Left unmeasured; ``run(_:)`` reports the skip.
        }
    }

    func run(_ run: SubjectRun) throws -> Verdict {
        let observation: LockObservation
        if let measured = run.safetyObservation {
            observation = measured
        } else if !Self.needsStartCopy(run.subject, run.scripts) {
            return .skipped("this engine cannot report a migration's locks")
        } else {
            let copy = try run.cloneStart("safety")
            defer { run.release(copy) }
            do {
                observation = try StepFailure.during("forward failed with rows present") {
                    try copy.observeLocks(
                        run.subject.forward.map { run.scripts[$0] }, setup: Self.fixtures(run.subject).map { run.scripts[$0] }, inPlace: false
                    )
                }
            } catch let unsupported as LocksUnsupported {
                return .skipped(unsupported.reason)
            } catch let step as StepFailure where step.underlying is LocksUnsupported {
                return .skipped(String(describing: step.underlying))
            }
        }
        var texts: [String: String] = [:]
        var statements: [String: String] = [:]
        for file in run.subject.forward {
            texts[file.displayPath] = texts[file.displayPath] ?? (try? String(contentsOf: file.url, encoding: .utf8))
            for statement in run.scripts[file].statements { statements["\(file.displayPath):\(statement.line)"] = statement.text }
        }
        var verdict = Self.verdict(observation) { statement in
            Self.allowed(
                statement: statement, text: statements["\(statement.file):\(statement.line)"] ?? statement.excerpt,
                suite: run.allowedRules, file: texts[statement.file]
            )
        }
        verdict.locks = observation
        return verdict
    }

    /// The verdict on an observation; `allowed` says whether a statement's blocking lock or rewrite is accepted.
    ///
    /// A statement fails on a pre-existing table with rows that it rewrites, or that it reads through (an index
    /// build, a constraint's validation) while holding a lock that blocks writes: both last as long as the table
    /// is big. A strong lock held only for a catalog change (`ADD CONSTRAINT … NOT VALID`, `ADD COLUMN`) passes.
    static func verdict(_ observation: LockObservation, allowed: (StatementLocks) -> Bool) -> Verdict {
        let notes = observation.statements.map { "\($0.file):\($0.line): \($0.summary)" }
            + (observation.generatedRows.isEmpty ? [] : ["generated rows in empty tables: " + observation.generatedRows.joined(separator: ", ")])
        var problems: [String] = []
        for statement in observation.statements {
            var found: [String] = []
            for table in Set(statement.rewritten + statement.scanned + statement.locks.keys).sorted() {
                guard let rows = observation.rowCounts[table], rows > 0 else { continue }
                let modes = statement.locks[table, default: []] + (statement.assumedMode.map { [$0] } ?? [])
                let taken = modes.filter(StatementLocks.writeBlocking.contains).max { rank($0) < rank($1) }
                let held = statement.heldLocks[table, default: []].max { rank($0) < rank($1) }
                let blocking = [taken, held].compactMap { $0 }.max { rank($0) < rank($1) }
                let rewrites = statement.rewritten.contains(table)
                let reads = statement.scanned.contains(table)
                guard rewrites || (reads && blocking != nil) else { continue }
                let count = "\(table) (\(rows) row\(rows == 1 ? "" : "s"))"
                let lock = blocking.map { mode in
                    mode == taken ? "takes \(words(mode)) on \(count)" : "holds \(words(mode)) on \(count) (taken earlier in its transaction)"
                }
                if rewrites {
                    found.append(lock.map { $0 + " and rewrites it" } ?? "rewrites \(count)")
                } else if let lock {
                    found.append(lock + " while reading all of it")
                }
            }
            guard !found.isEmpty, !allowed(statement) else { continue }
            problems.append("\(statement.file):\(statement.line): \(statement.excerpt) " + found.joined(separator: "; "))
        }
        guard let first = problems.first else { return .passed(notes: notes) }
        let message = problems.count == 1 ? first : "\(problems.count) blocking statements; first: \(first)"
        let details = (problems + ["", "observed locks per statement:"] + notes).joined(separator: "\n")
        let firstFile = observation.statements.first { first.hasPrefix("\($0.file):\($0.line):") }?.file
        return .failed(message, details, file: firstFile, notes: notes)
    }

    /// `AccessExclusiveLock` → `ACCESS EXCLUSIVE`, as PostgreSQL's documentation names the modes.
    static func words(_ mode: String) -> String {
        let name = mode.hasSuffix("Lock") ? String(mode.dropLast(4)) : mode
        var result = ""
        for character in name {
            if character.isUppercase, !result.isEmpty { result += " " }
            result += character.uppercased()
        }
        return result
    }

    private static func rank(_ mode: String) -> Int {
        ["ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"].firstIndex(of: mode) ?? -1
    }

    /// Whether `statement` (whose SQL is `text`) is allowed by a `-- rehearse:allow` comment directly above it in
    /// `file` or by the suite's `allow:`, naming `safety` or the lint rule that fits the statement.
    static func allowed(statement: StatementLocks, text: String, suite: Set<String>, file: String?) -> Bool {
        let fitting = rules(for: text)
        if !suite.isDisjoint(with: fitting) { return true }
        guard let file else { return false }
        return !directives(above: statement.line, in: file).isDisjoint(with: fitting)
    }

    /// The rule names of the `-- rehearse:allow` comments on the comment lines directly above `line` (1-based).
    static func directives(above line: Int, in text: String) -> Set<String> {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var result = Set<String>()
        var current = line - 2
        while current >= 0, current < lines.count {
            let trimmed = lines[current].drop { $0 == " " || $0 == "\t" }
            guard trimmed.hasPrefix("--") else { break }
            let comment = trimmed.drop { $0 == "-" || $0 == " " || $0 == "\t" }
            if comment.hasPrefix("rehearse:allow") {
                var rest = comment.dropFirst("rehearse:allow".count)
                while true {
                    rest = rest.drop { $0 == " " || $0 == "\t" }
                    let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
                    guard !name.isEmpty else { break }
                    result.insert(String(name))
                    rest = rest.dropFirst(name.count).drop { $0 == " " || $0 == "\t" }
                    guard rest.first == "," else { break }
                    rest = rest.dropFirst()
                }
            }
            current -= 1
        }
        return result
    }
}
