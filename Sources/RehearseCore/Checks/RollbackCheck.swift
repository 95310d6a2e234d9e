/// `rollback`: the undo scripts apply cleanly on a copy of the forward result; an undo with no statements fails.
struct RollbackCheck: RehearsalCheck {
    let check = Check.rollback
    let needs: [Check] = [.forward]

    func plan(_ subject: RehearsalSubject, _ context: PlanContext) -> PlannedCheck? {
        PlannedCheck(check, skip: PlanContext.undoSkip(subject))
    }

    func run(_ run: SubjectRun) throws -> Verdict {
        let undo = run.subject.undoFiles
        // JavaScript migrations have no statements to count; their `down` runs as code.
        if !undo.isEmpty, undo.allSatisfy({ $0.entry == nil && run.scripts[$0].statements.isEmpty }) {
            let files = undo.map(\.displayPath).joined(separator: ", ")
            return .failed(
                "empty rollback: \(files) holds no statements; write the undo, or declare the migration in rehearse.yaml `irreversible:`",
                "", file: undo[0].displayPath
            )
        }
        let copy = try run.cloneForward("rollback")
        run.rolledBack = copy
        try run.apply(undo, to: copy)
        if run.plans(.dataPreservation), run.subject.data == .startRows {
            run.rolledBackData = try run.data(of: copy)
        }
        return .passed
    }
}
