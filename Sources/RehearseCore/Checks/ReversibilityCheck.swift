/// `reversibility`: after rollback the schema equals the one before forward.
struct ReversibilityCheck: RehearsalCheck {
    let check = Check.reversibility
    let needs: [Check] = [.forward, .rollback]

    func plan(_ subject: RehearsalSubject, _ context: PlanContext) -> PlannedCheck? {
        PlannedCheck(check, skip: PlanContext.undoSkip(subject))
    }

    func run(_ run: SubjectRun) throws -> Verdict {
        guard let rolledBack = run.rolledBack else { return .skipped("rollback failed") }
        let diff = SnapshotDiff(from: run.before, to: try rolledBack.snapshot(), strictColumnOrder: run.options.strictColumnOrder)
        return diff.verdict(
            message: "the schema after rollback differs from before forward",
            legend: "- only before forward\n+ only after rollback",
            file: diff.changes.first.flatMap { run.attribution.undoFile(for: $0) }
                ?? run.subject.undoFiles.first?.displayPath ?? run.subject.undoLocation,
            annotate: run.attribution.afterRollback
        )
    }
}
