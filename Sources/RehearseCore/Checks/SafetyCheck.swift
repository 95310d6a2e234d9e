import Foundation

/// `safety`: with rows in the tables that existed before, forward must not hold an ACCESS EXCLUSIVE lock on a
/// pre-existing, non-empty table nor rewrite one, unless allowed as in lint (DESIGN.md, "Lint and safety").
///
/// Measured, not guessed from the SQL: the statements run one at a time on a copy of the start (with the
/// chain's rows or the fixtures) and the engine reads its own locks and the tables' relfilenodes between them.
struct SafetyCheck: RehearsalCheck {
    let check = Check.safety
    let needs: [Check] = [.forward]

    /// Rule names that, in a `-- rehearse:allow` comment or the suite's `allow:`, accept a blocking lock or a rewrite.
    static let allowingRules: Set<String> = [
        "safety", "alter-column-type", "create-index-non-concurrently", "add-foreign-key", "set-not-null",
        "add-check-constraint", "add-unique-constraint", "add-primary-key", "lock-table", "add-column-default",
        "add-column-volatile-default", "rename-column", "rename-table", "drop-column", "drop-table", "vacuum-full",
        "cluster", "add-exclusion-constraint",
    ]

    func plan(_ subject: RehearsalSubject, _ context: PlanContext) -> PlannedCheck? {
        // An install from empty has no table that existed before it.
        guard case .resultOf = subject.start else { return nil }
        guard !subject.forward.isEmpty, subject.forward.allSatisfy({ $0.url.pathExtension.lowercased() == "sql" }) else { return nil }
        return PlannedCheck(check)
    }

    func run(_ run: SubjectRun) throws -> Verdict {
        let copy = try run.cloneStart("safety")
        defer { run.release(copy) }
        if case let .fixtures(fixtures) = run.subject.data {
            try StepFailure.during("the fixtures could not be loaded") { try run.apply(fixtures, to: copy) }
        }
        let observation: LockObservation
        do {
            observation = try StepFailure.during("forward failed with rows present") {
                try copy.observeLocks(run.subject.forward.map { run.scripts[$0] })
            }
        } catch let unsupported as LocksUnsupported {
            return .skipped(unsupported.reason)
        } catch let step as StepFailure where step.underlying is LocksUnsupported {
            return .skipped(String(describing: step.underlying))
        }
        let urls = Dictionary(run.subject.forward.map { ($0.displayPath, $0.url) }, uniquingKeysWith: { first, _ in first })
        return Self.verdict(observation) { statement in
            Self.allowed(statement: statement, suite: run.allowedRules, text: urls[statement.file].flatMap { try? String(contentsOf: $0, encoding: .utf8) })
        }
    }

    /// The verdict on an observation; `allowed` says whether a statement's blocking lock or rewrite is accepted.
    static func verdict(_ observation: LockObservation, allowed: (StatementLocks) -> Bool) -> Verdict {
        let notes = observation.statements.map { "\($0.file):\($0.line): \($0.summary)" }
            + (observation.generatedRows.isEmpty ? [] : ["generated rows in empty tables: " + observation.generatedRows.joined(separator: ", ")])
        var problems: [String] = []
        for statement in observation.statements {
            let exclusive = statement.locks.filter { $0.value.contains("AccessExclusiveLock") }.keys
                + (statement.assumedMode == "AccessExclusiveLock" ? ["(a table)"] : [])
            let blocking = exclusive.filter { observation.rowCounts[$0].map { $0 > 0 } ?? true }
            let rewrites = statement.rewritten
            guard !blocking.isEmpty || !rewrites.isEmpty, !allowed(statement) else { continue }
            for table in Set(blocking + rewrites).sorted() {
                let rows = observation.rowCounts[table].map { " (\($0) row\($0 == 1 ? "" : "s"))" } ?? ""
                var what: [String] = []
                if blocking.contains(table) { what.append("takes ACCESS EXCLUSIVE on \(table)\(rows)") }
                if rewrites.contains(table) { what.append(blocking.contains(table) ? "rewrites it" : "rewrites \(table)\(rows)") }
                problems.append("\(statement.file):\(statement.line): \(statement.excerpt) \(what.joined(separator: " and "))")
            }
        }
        guard let first = problems.first else { return .passed(notes: notes) }
        let message = problems.count == 1 ? first : "\(problems.count) blocking statements; first: \(first)"
        let details = (problems + ["", "observed locks per statement:"] + notes).joined(separator: "\n")
        let firstFile = observation.statements.first { first.hasPrefix("\($0.file):\($0.line):") }?.file
        return .failed(message, details, file: firstFile, notes: notes)
    }

    /// Whether `statement` is allowed by a `-- rehearse:allow` comment directly above it or by the suite's `allow:`.
    static func allowed(statement: StatementLocks, suite: Set<String>, text: String?) -> Bool {
        if !suite.isDisjoint(with: allowingRules) { return true }
        guard let text else { return false }
        return !directives(above: statement.line, in: text).isDisjoint(with: allowingRules)
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
