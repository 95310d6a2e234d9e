/// `reapply`: forward again after rollback succeeds and gives the first forward's schema.
///
/// It needs a clean rollback: after a failed `reversibility` the second forward starts from a different schema, so
/// its verdict would only repeat that failure.
struct ReapplyCheck: RehearsalCheck {
    let check = Check.reapply
    let needs: [Check] = [.forward, .rollback, .reversibility]

    func plan(_ subject: RehearsalSubject, _ context: PlanContext) -> PlannedCheck? {
        PlannedCheck(check, skip: PlanContext.undoSkip(subject))
    }

    func run(_ run: SubjectRun) throws -> Verdict {
        guard let rolledBack = run.rolledBack else { return .skipped("rollback failed") }
        try StepFailure.during("forward after rollback failed") { try run.apply(run.subject.forward, to: rolledBack) }
        let diff = SnapshotDiff(from: run.after, to: try rolledBack.snapshot(), strictColumnOrder: run.options.strictColumnOrder)
        guard !diff.isEmpty else { return .passed(notes: diff.notes) }
        return .failed(
            "forward after rollback gives a different schema than the first forward (\(diff.headline))",
            "- only after the first forward\n+ only after rollback and forward again\n\n" + diff.text(annotating: run.attribution.forwardLines),
            file: run.subject.undoFiles.first?.displayPath ?? run.subject.undoLocation
        )
    }
}
