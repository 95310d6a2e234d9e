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
    /// Where the suite counts which path each subject took.
    var paths = StepPathCounter()

    private var subject: RehearsalSubject { planned.subject }

    func run() -> [CheckResult] {
        let silent: @Sendable (CheckResult) -> Void = { _ in }
        let recorder = CheckRecorder(subject: subject.id, report: planned.checks.isEmpty ? silent : progress)
        guard let start = obtainStart(recorder) else {
            return recorder.results
        }
        defer { start.release() }
        guard !planned.checks.isEmpty else {
            let run = makeRun(start, before: start.beforeData, transaction: nil)
            defer { run.dropScratch() }
            runForwardOnly(run, recorder: recorder)
            return recorder.results
        }
        if rehearseInOneTransaction(start, recorder: recorder) {
            return recorder.results
        }
        let run = makeRun(start, before: fullData(start), transaction: nil)
        defer { run.dropScratch() }
        let outcomes = runChecks(run, recorder)
        finish(run, forwardPassed: outcomes[.forward] == .passed, recorder: recorder)
        return recorder.results
    }

    /// The start's data row by row, as the checks on copies compare it: a subject rehearsed on the fast path
    /// before this one left only a digest, so the rows are read from the start database, which holds them.
    private func fullData(_ start: Start) -> DataFingerprint {
        guard start.beforeData.tables.values.contains(where: \.isDigestOnly) else { return start.beforeData }
        do {
            return try start.database.fingerprint()
        } catch {
            // The checks that need it will meet the same failure on the same database and report it.
            return start.beforeData
        }
    }

    private func makeRun(_ start: Start, before data: DataFingerprint, transaction: (any TransactionalDatabase)?) -> SubjectRun {
        let run = SubjectRun(
            planned: planned, engine: engine, scripts: scripts, options: options, label: Self.label(subject.id),
            before: start.before, beforeData: data, database: start.database,
            snapshotOf: { [board] in board.snapshot(of: $0) }, copyStart: start.copy, transaction: transaction
        )
        run.forwardOf = forwardOf
        return run
    }

    /// Runs the planned checks in order, skipping those whose prerequisites did not pass.
    private func runChecks(_ run: SubjectRun, _ recorder: CheckRecorder) -> [Check: CheckResult.Outcome] {
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
            outcomes[check.check] = recorder.run(check.check) { try implementation.run(run) }
        }
        return outcomes
    }

    /// The fast path: every check inside one transaction on the walking database, copies of the forward result
    /// being savepoints. Returns true when every check that ran passed there and the forward result was committed;
    /// the results are then reported. Otherwise the transaction is rolled back (sequences too) and nothing is
    /// reported: the caller rehearses the subject again on copies, so that a failure is always one found there.
    private func rehearseInOneTransaction(_ start: Start, recorder: CheckRecorder) -> Bool {
        guard let database = start.database as? any TransactionalDatabase else { return false }
        guard options.transactionalSteps else {
            paths.onCopies("fast path turned off")
            return false
        }
        let files = subject.forward + subject.undoFiles + subject.validators
        if let obstacle = database.transactionObstacle(in: files.compactMap(scripts.script(for:))) {
            paths.onCopies(obstacle)
            return false
        }
        do {
            try database.beginStep()
        } catch let obstacle as TransactionObstacle {
            paths.onCopies(obstacle.reason)
            return false
        } catch {
            paths.onCopies("the transaction could not be opened")
            return false
        }
        let buffer = CheckRecorder(subject: subject.id, report: { _ in })
        var outcomes: [Check: CheckResult.Outcome] = [:]
        var trusted = false
        do {
            // A fast step before left its result's digest; anything else is digested here.
            let before = start.beforeData.tables.values.allSatisfy(\.isDigestOnly) && !start.beforeData.tables.isEmpty
                ? start.beforeData : try database.dataDigest()
            let run = makeRun(start, before: before, transaction: database)
            outcomes = runChecks(run, buffer)
            run.dropScratch()
            let allPassed = !outcomes.values.contains { if case .failed = $0 { true } else { false } }
            if allPassed, run.branchFailure == nil {
                try database.commitStep()
                trusted = true
                for result in buffer.results {
                    recorder.appendUnreported(result)
                    progress(result)
                }
                paths.inOneTransaction()
                finish(run, forwardPassed: true, recorder: recorder)
            }
        } catch {
            trusted = false
        }
        guard trusted else {
            database.abortStep()
            paths.rerunOnCopies()
            return false
        }
        return true
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
