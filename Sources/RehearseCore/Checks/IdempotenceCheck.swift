/// `idempotence`: a second run of the forward scripts succeeds and changes neither schema nor data.
struct IdempotenceCheck: RehearsalCheck {
    let check = Check.idempotence
    let needs: [Check] = [.forward]

    func plan(_ subject: RehearsalSubject, _ context: PlanContext) -> PlannedCheck? {
        PlannedCheck(check, skip: RehearsalPlan.idempotenceSkip(subject, scripts: context.scripts, options: context.options))
    }

    func run(_ run: SubjectRun) throws -> Verdict {
        let copy = try run.cloneForward("idem")
        defer { run.release(copy) }
        try StepFailure.during("the second run failed") { try run.apply(run.subject.forward, to: copy) }
        let schema = SnapshotDiff(from: run.after, to: try copy.snapshot(), strictColumnOrder: run.options.strictColumnOrder)
        let data = DataDiff(from: run.afterData, to: try run.data(of: copy))
        if schema.isEmpty, data.isEmpty { return .passed(notes: schema.notes) }
        var parts: [String] = []
        var details: [String] = []
        if !schema.isEmpty {
            parts.append("the second run changed the schema (\(schema.headline))")
            details.append("schema after the first run (-) and after the second (+):\n" + schema.text(annotating: run.attribution.forwardLines))
        }
        if !data.isEmpty {
            parts.append("the second run changed the data of \(data.tables.map(\.table).joined(separator: ", "))")
            details.append("data after the first run and after the second:\n" + data.text)
        }
        return .failed(parts.joined(separator: "; "), details.joined(separator: "\n\n"), file: run.subject.forward.first?.displayPath)
    }
}
