/// `equivalence`: the forward result has the same schema as the install it should equal (a fresh install of the
/// same version, a Flyway baseline, a schema dump).
struct EquivalenceCheck: RehearsalCheck {
    let check = Check.equivalence
    let needs: [Check] = [.forward]

    func plan(_ subject: RehearsalSubject, _ context: PlanContext) -> PlannedCheck? {
        switch subject.equivalence {
        case .notPlanned: nil
        case let .unavailable(reason): PlannedCheck(check, skip: reason)
        case .subject, .scripts: PlannedCheck(check)
        }
    }

    func run(_ run: SubjectRun) throws -> Verdict {
        let expected: SchemaSnapshot
        let label: String
        switch run.subject.equivalence {
        case let .subject(other, name):
            switch run.snapshotOf(other) {
            case let .available(snapshot): expected = snapshot
            case let .unavailable(reason): return .skipped(reason)
            }
            label = name
        case let .scripts(files, name):
            let fresh = try run.emptyDatabase("equivalence")
            defer { run.release(fresh) }
            try StepFailure.during("\(name) could not be loaded into an empty database") { try run.apply(files, to: fresh) }
            expected = try fresh.snapshot()
            label = name
        case let .unavailable(reason):
            return .skipped(reason)
        case .notPlanned:
            return .skipped("not planned")
        }
        let diff = SnapshotDiff(from: expected, to: run.after, strictColumnOrder: run.options.strictColumnOrder)
        let installScripts: [ScriptFile] = switch run.subject.equivalence {
        case let .subject(other, _): run.forwardOf[other] ?? []
        case let .scripts(files, _): files
        default: []
        }
        let install = DiffAttribution(forward: installScripts.compactMap(run.scripts.script(for:)))
        return diff.verdict(
            message: "\(run.subject.id) differs from \(label)",
            legend: "- only in \(label)\n+ only after \(run.subject.id)",
            file: run.subject.forward.last?.displayPath ?? run.subject.folder,
            annotate: { change in
                // Each side names its own statements: the install for what only it has, this subject for the rest.
                switch change {
                case .removed: install.forwardLines(change).map { $0 + " (in \(label))" }
                case .added: run.attribution.forwardLines(change)
                case .changed: install.forwardLines(change).map { $0 + " (in \(label))" } + run.attribution.forwardLines(change)
                }
            }
        )
    }
}
