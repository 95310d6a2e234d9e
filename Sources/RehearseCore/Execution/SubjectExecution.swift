/// Runs one subject: gets its start database, runs its planned checks in order, and leaves its forward result
/// on the board for the subjects that start from it.
struct SubjectExecution {
    let planned: PlannedSubject
    let engine: any DatabaseEngine
    let scripts: PreparedScripts
    let options: RehearsalOptions
    let board: SubjectBoard
    /// How many subjects start from this one's result.
    let dependents: Int
    /// Every subject's forward files, for naming a fresh install's statements in `equivalence`.
    let forwardOf: [MigrationSubject: [ScriptFile]]
    let progress: @Sendable (CheckResult) -> Void
    /// The suite's `allow:` rules, for `safety`.
    var allowedRules: Set<String> = []

    private var subject: RehearsalSubject { planned.subject }

    func run() -> [CheckResult] {
        let silent: @Sendable (CheckResult) -> Void = { _ in }
        let recorder = CheckRecorder(subject: subject.id, report: planned.checks.isEmpty ? silent : progress)
        guard let start = obtainStart(recorder) else {
            return recorder.results
        }
        defer { start.release() }
        let run = SubjectRun(
            planned: planned, engine: engine, scripts: scripts, options: options, label: Self.label(subject.id),
            before: start.before, beforeData: start.beforeData, database: start.database,
            snapshotOf: { [board] in board.snapshot(of: $0) }, copyStart: start.copy
        )
        run.forwardOf = forwardOf
        run.allowedRules = allowedRules
        defer { run.dropScratch() }
        guard !planned.checks.isEmpty else {
            runForwardOnly(run, recorder: recorder)
            return recorder.results
        }
        var earlyFailures: [Check: any Error] = [:]
        for check in planned.checks where check.skipReason == nil {
            do {
                try RehearsalChecks.implementation(of: check.check)?.beforeForward(run)
            } catch {
                earlyFailures[check.check] = error
            }
        }
        var outcomes: [Check: CheckResult.Outcome] = [:]
        for check in planned.checks {
            if let reason = check.skipReason {
                recorder.skip(check.check, reason)
                outcomes[check.check] = .skipped(reason: reason)
                continue
            }
            guard let implementation = RehearsalChecks.implementation(of: check.check) else {
                preconditionFailure("no implementation for \(check.check)")
            }
            if let unmet = implementation.needs.first(where: { outcomes[$0].map { $0 != .passed } ?? false }) {
                let reason = "\(unmet.rawValue) failed"
                recorder.skip(check.check, reason)
                outcomes[check.check] = .skipped(reason: reason)
                continue
            }
            outcomes[check.check] = recorder.run(check.check) {
                if let error = earlyFailures[check.check] { throw error }
                return try implementation.run(run)
            }
        }
        finish(run, forwardPassed: outcomes[.forward] == .passed, recorder: recorder)
        return recorder.results
    }

    /// A subject before `--from` (or the first changed step): forward only, reported only when it fails.
    private func runForwardOnly(_ run: SubjectRun, recorder: CheckRecorder) {
        var failure: CheckResult.Outcome = .passed
        do {
            _ = try ForwardCheck().run(run)
        } catch {
            failure = CheckRecorder.verdict(for: error).outcome
        }
        if case .failed = failure {
            let result = CheckResult(subject: subject.id, check: .forward, outcome: failure)
            progress(result)
            recorder.appendUnreported(result)
        }
        finish(run, forwardPassed: failure == .passed, recorder: recorder)
    }

    /// Loads `loadAfter`, then keeps or hands over the forward result, or drops it.
    private func finish(_ run: SubjectRun, forwardPassed: Bool, recorder: CheckRecorder) {
        guard forwardPassed else {
            run.database.drop()
            board.finish(subject.id, .unavailable(reason: "\(subject.id) failed forward"))
            return
        }
        var after = run.after, afterData = run.afterData
        if !subject.loadAfter.isEmpty {
            do {
                try run.apply(subject.loadAfter, to: run.database)
                after = try run.database.snapshot()
                afterData = try run.database.fingerprint()
            } catch {
                run.database.drop()
                var failure = CheckRecorder.verdict(for: error).outcome
                if case var .failed(value) = failure {
                    value.message = "the fixtures loaded after \(subject.id) failed: " + value.message
                    failure = .failed(value)
                }
                if case let .failed(value) = failure { board.finish(subject.id, .broken(value)) }
                return
            }
        }
        guard dependents > 0 else {
            run.database.drop()
            board.finish(subject.id, .ready(after: after, afterData: afterData, database: nil))
            return
        }
        board.finish(subject.id, .ready(after: after, afterData: afterData, database: KeptDatabase(run.database, dependents: dependents)))
    }

    /// The database forward starts on, with the schema and data it holds; nil when the subject cannot start
    /// (its checks are then recorded as skipped or failed).
    private func obtainStart(_ recorder: CheckRecorder) -> Start? {
        let label = Self.label(subject.id)
        switch subject.start {
        case let .unavailable(reason):
            skipAll(recorder, reason)
            board.finish(subject.id, .unavailable(reason: reason))
            return nil
        case .empty:
            do {
                let database = try engine.createDatabase(label: label)
                let empty: SchemaSnapshot
                do {
                    empty = try board.emptySnapshot(reading: database)
                } catch {
                    database.drop()
                    throw error
                }
                return Start(database: database, before: empty, beforeData: DataFingerprint(), copy: { [engine] in
                    try engine.createDatabase(label: $0)
                }, release: {})
            } catch {
                failToStart(recorder, error)
                return nil
            }
        case let .resultOf(other):
            switch board.result(of: other) {
            case let .ready(after, afterData, kept?):
                do {
                    if kept.handsOver {
                        let database = kept.take()
                        // Checks that load fixtures need the start state after forward has changed the database.
                        let pristine = needsStartCopy ? try database.clone(label: label + "_start") : nil
                        return Start(database: database, before: after, beforeData: afterData, copy: { label in
                            guard let pristine else { preconditionFailure("no start copy was planned") }
                            return try pristine.clone(label: label)
                        }, release: { pristine?.drop() })
                    }
                    let database = try kept.clone(label: label)
                    return Start(database: database, before: after, beforeData: afterData, copy: { try kept.clone(label: $0) }, release: {
                        kept.release()
                    })
                } catch {
                    if !kept.handsOver { kept.release() }
                    failToStart(recorder, error)
                    return nil
                }
            case let .unavailable(reason)?:
                skipAll(recorder, reason)
                board.finish(subject.id, .unavailable(reason: reason))
                return nil
            case let .broken(failure)?:
                failForward(recorder, failure)
                return nil
            case .ready(_, _, nil)?, nil:
                preconditionFailure("\(subject.id) started before \(other) left its database")
            }
        }
    }

    private var needsStartCopy: Bool {
        let fixtures: Bool = if case .fixtures = subject.data { true } else { false }
        return (fixtures && planned.planned(.dataPreservation)?.willRun == true) || planned.planned(.backup)?.willRun == true
            || (planned.planned(.safety)?.willRun == true && SafetyCheck.needsStartCopy(subject, scripts))
    }

    private func skipAll(_ recorder: CheckRecorder, _ reason: String) {
        for check in planned.checks { recorder.skip(check.check, reason) }
    }

    private func failToStart(_ recorder: CheckRecorder, _ error: any Error) {
        failForward(recorder, CheckRecorder.verdict(for: StepFailure(context: "could not create a scratch database", underlying: error)).failure)
    }

    private func failForward(_ recorder: CheckRecorder, _ failure: CheckFailure?) {
        let failure = failure ?? CheckFailure(message: "could not start")
        if planned.checks.isEmpty {
            recorder.appendUnreported(CheckResult(subject: subject.id, check: .forward, outcome: .failed(failure)))
            progress(recorder.results[recorder.results.count - 1])
        } else {
            recorder.run(.forward) { .failed(failure) }
            for check in planned.checks.dropFirst() { recorder.skip(check.check, "forward failed") }
        }
        board.finish(subject.id, .unavailable(reason: "\(subject.id) failed forward"))
    }

    /// `install_v1_0_0`, `migration_v2_add_email`: readable scratch database names.
    static func label(_ subject: MigrationSubject) -> String {
        subject.description.replacingOccurrences(of: " -> ", with: "_to_")
    }

    /// Where a subject starts.
    private struct Start {
        let database: any ScratchDatabase
        let before: SchemaSnapshot
        let beforeData: DataFingerprint
        /// A new database holding the start state.
        let copy: (String) throws -> any ScratchDatabase
        /// Lets go of the template the start was copied from.
        let release: () -> Void
    }
}
