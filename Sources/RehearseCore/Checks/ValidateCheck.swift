/// `validate`: every validator passes after forward (one true row; a verify script: no error).
struct ValidateCheck: RehearsalCheck {
    let check = Check.validate
    let needs: [Check] = [.forward]

    func plan(_ subject: RehearsalSubject, _ context: PlanContext) -> PlannedCheck? {
        PlannedCheck(check, skip: subject.validators.isEmpty ? "no validators" : nil)
    }

    func run(_ run: SubjectRun) throws -> Verdict {
        // Where validators cannot change the database, they run on the forward result itself; elsewhere on a copy.
        let target = run.database.validatorsLeaveNoTrace ? run.database : try run.cloneForward("validate")
        for validator in run.subject.validators {
            try target.validate(run.scripts[validator])
        }
        return .passed
    }
}
