/// `forward`: the forward scripts apply cleanly; records the schema and data they leave.
struct ForwardCheck: RehearsalCheck {
    let check = Check.forward
    let needs: [Check] = []

    func plan(_ subject: RehearsalSubject, _ context: PlanContext) -> PlannedCheck? {
        PlannedCheck(check)
    }

    func run(_ run: SubjectRun) throws -> Verdict {
        try run.apply(run.subject.forward, to: run.database)
        run.after = try run.database.snapshot()
        run.afterData = try run.data(of: run.database)
        return .passed
    }
}
