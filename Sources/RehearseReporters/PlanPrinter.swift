import RehearseCore

/// Renders the plan of `rehearse list`: the layout, then per suite every subject with where it starts, its
/// scripts in execution order and how each runs, and the checks `verify` will run or skip.
public struct PlanPrinter: Sendable {
    public init() {}

    public func text(for plan: RehearsalPlan, layout: String) -> String {
        var lines = ["layout: \(layout)"]
        for suite in plan.suites {
            let header = "\(suite.name)  (\(suite.suite.displayPath))"
            lines.append(header + (suite.policy.willRun && suite.suite.reportsPolicy ? "  policy: checked" : ""))
            for planned in suite.subjects {
                let subject = planned.subject
                let start: String = switch subject.start {
                case .empty: "from an empty database"
                case let .resultOf(other): "from \(other)"
                case let .unavailable(reason): "cannot start: \(reason)"
                }
                let mode = planned.checks.isEmpty ? "  (forward only)" : ""
                lines.append("  \(subject.id)  \(start)\(mode)")
                for file in subject.forward { lines.append("      → \(file.displayPath)  [\(Self.how(file))]") }
                for file in subject.validators { lines.append("      ✓ \(file.displayPath)") }
                switch subject.undo {
                case let .scripts(files): for file in files { lines.append("      ← \(file.displayPath)") }
                case let .missing(reason): lines.append("      ← none: \(reason)")
                case .irreversible: lines.append("      ← none: declared irreversible")
                }
                for file in subject.loadAfter { lines.append("      + \(file.displayPath) (fixture, loaded after)") }
                let running = planned.checks.filter(\.willRun).map(\.check.rawValue)
                let skipped = planned.checks.filter { !$0.willRun }.map { "\($0.check.rawValue) (\($0.skipReason ?? ""))" }
                if !running.isEmpty { lines.append("      checks: " + running.joined(separator: ", ")) }
                if !skipped.isEmpty { lines.append("      skipped: " + skipped.joined(separator: "; ")) }
            }
            lines.append("  \(suite.checkCount) checks")
        }
        lines.append("\(plan.checkCount) checks in \(plan.suites.count) suite\(plan.suites.count == 1 ? "" : "s")")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func how(_ file: ScriptFile) -> String {
        var text = file.execution.summary
        if let entry = file.entry { text = "JavaScript \(entry)()" }
        return text
    }
}
