/// `backup`: a dump of the start (with its fixtures) restores into a fresh database with the same schema.
struct BackupCheck: RehearsalCheck {
    let check = Check.backup
    let needs: [Check] = [.forward]

    func plan(_ subject: RehearsalSubject, _ context: PlanContext) -> PlannedCheck? {
        subject.backup ? PlannedCheck(check) : nil
    }

    func run(_ run: SubjectRun) throws -> Verdict {
        let copy = try run.cloneStart("backup")
        defer { run.release(copy) }
        if case let .fixtures(fixtures) = run.subject.data {
            try run.apply(fixtures, to: copy)
        }
        let original = try copy.snapshot()
        let restored: SchemaSnapshot
        do {
            restored = try copy.backupRoundTrip()
        } catch let unavailable as BackupUnavailable {
            return .skipped(unavailable.reason)
        }
        let diff = SnapshotDiff(from: original, to: restored, strictColumnOrder: true)
        guard diff.isEmpty else {
            return .failed("a dump of the start of \(run.subject.id) restores with a different schema (\(diff.headline))", "- only in the original\n+ only in the restored copy\n\n" + diff.text)
        }
        return .passed
    }
}
