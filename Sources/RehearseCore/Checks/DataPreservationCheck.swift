/// `data-preservation`: with rows present, forward then rollback leaves every row of the tables that existed
/// before identical.
struct DataPreservationCheck: RehearsalCheck {
    let check = Check.dataPreservation
    let needs: [Check] = [.forward, .rollback]

    func plan(_ subject: RehearsalSubject, _ context: PlanContext) -> PlannedCheck? {
        switch subject.data {
        case .notPlanned: nil
        case let .unavailable(reason): PlannedCheck(check, skip: reason)
        case .fixtures, .startRows:
            PlannedCheck(check, skip: subject.undoFiles.isEmpty && subject.undo != .irreversible ? "no rollback scripts" : PlanContext.undoSkip(subject))
        }
    }

    func run(_ run: SubjectRun) throws -> Verdict {
        let before: DataFingerprint
        let after: DataFingerprint
        switch run.subject.data {
        case let .fixtures(fixtures):
            let copy = try run.cloneStart("data")
            defer { run.release(copy) }
            try StepFailure.during("the fixtures could not be loaded") { try run.apply(fixtures, to: copy) }
            before = try run.data(of: copy)
            try StepFailure.during("forward failed with the fixtures loaded") { try run.apply(run.subject.forward, to: copy) }
            try StepFailure.during("the rollback failed with the fixtures loaded") { try run.apply(run.subject.undoFiles, to: copy) }
            after = try run.data(of: copy)
        case .startRows:
            guard run.beforeData.tables.values.contains(where: { $0.rowCount > 0 }) else {
                return .skipped("no rows before this migration to preserve (load some with `fixtures:` in rehearse.yaml)")
            }
            guard let rolledBack = run.rolledBackData else { return .skipped("rollback failed") }
            before = run.beforeData
            after = rolledBack
        case let .unavailable(reason):
            return .skipped(reason)
        case .notPlanned:
            return .skipped("not planned")
        }
        let diff = DataDiff(from: before, to: after, includeNewTables: false)
        guard diff.isEmpty else {
            let tables = diff.tables.map(\.table).joined(separator: ", ")
            let example = diff.tables.first?.rows.first.map { ": \($0)" } ?? ""
            return .failed(
                "forward then rollback changed the data of \(tables)\(example)", diff.text,
                file: run.subject.undoFiles.first?.displayPath ?? run.subject.undoLocation
            )
        }
        return .passed
    }
}
