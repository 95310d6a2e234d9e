import Foundation

/// Runs the plan of one suite on one engine: the policy check, then every subject once the subjects it starts
/// from (and compares with) are done, up to `options.jobs` at once.
///
/// A subject's forward result is handed to the one subject that starts from it (a chain walks one database, so
/// a history of N migrations costs O(N) script runs) or kept as a template for several. Every scratch database
/// is dropped on every path. Database work blocks, so it runs on dispatch threads, not the cooperative pool.
public struct SuiteRehearsal: Sendable {
    public let plan: PlannedSuite
    public let engine: any DatabaseEngine
    public let scripts: PreparedScripts
    public let options: RehearsalOptions
    public let progress: @Sendable (CheckResult) -> Void
    /// Shared with the suites that run beside this one, so that all of them together keep to `options.jobs`.
    public let slots: JobSlots?

    public init(
        plan: PlannedSuite, engine: any DatabaseEngine, scripts: PreparedScripts, options: RehearsalOptions,
        progress: @escaping @Sendable (CheckResult) -> Void, slots: JobSlots? = nil
    ) {
        self.plan = plan
        self.engine = engine
        self.scripts = scripts
        self.options = options
        self.progress = progress
        self.slots = slots
    }

    /// A report for a suite whose server could not be had: the policy check still runs (it needs no server);
    /// every other planned check is skipped with `reason`.
    public static func skippedReport(plan: PlannedSuite, reason: String, progress: @Sendable (CheckResult) -> Void) -> SuiteReport {
        var results: [CheckResult] = []
        if plan.suite.reportsPolicy {
            results.append(policyResult(plan))
            progress(results[0])
        }
        for subject in plan.subjects {
            for check in subject.checks {
                let result = CheckResult(subject: subject.id, check: check.check, outcome: .skipped(reason: reason))
                progress(result)
                results.append(result)
            }
        }
        return SuiteReport(suite: plan.suite, server: nil, results: results, duration: 0)
    }

    public func run() async -> SuiteReport {
        let start = Date()
        // In a shard, another shard may report the suite's policy check.
        let policy = plan.suite.reportsPolicy ? [Self.policyResult(plan)] : []
        policy.forEach(progress)
        let board = SubjectBoard()
        let subjects = plan.subjects
        let dependents = Dictionary(grouping: subjects.compactMap { planned -> MigrationSubject? in
            if case let .resultOf(other) = planned.subject.start { return other }
            return nil
        }, by: { $0 }).mapValues(\.count)
        let forwardOf = Dictionary(subjects.map { ($0.id, $0.subject.forward) }, uniquingKeysWith: { first, _ in first })
        let paths = StepPathCounter()
        let results = await Self.inDependencyOrder(subjects, jobs: options.jobs, slots: slots, board: board) { planned in
            var execution = SubjectExecution(
                planned: planned, engine: engine, scripts: scripts, options: options, board: board,
                dependents: dependents[planned.id] ?? 0, forwardOf: forwardOf, progress: progress
            )
            execution.paths = paths
            return execution.run()
        }
        board.discardAll()
        var report = SuiteReport(
            suite: plan.suite, server: engine.serverInfo, results: policy + results.flatMap { $0 },
            duration: Date().timeIntervalSince(start)
        )
        report.paths = paths.value
        return report
    }

    static func policyResult(_ plan: PlannedSuite) -> CheckResult {
        if let reason = plan.policy.skipReason {
            return CheckResult(subject: .project, check: .policy, outcome: .skipped(reason: reason))
        }
        guard case let .checked(violations) = plan.suite.policy, !violations.isEmpty else {
            return CheckResult(subject: .project, check: .policy, outcome: .passed)
        }
        let first = violations[0]
        let message = violations.count == 1 ? first.message : "\(violations.count) policy violations; first: \(first.message)"
        let failure = CheckFailure(
            message: message, file: first.file, line: first.line, details: violations.map(\.message).joined(separator: "\n")
        )
        return CheckResult(subject: .project, check: .policy, outcome: .failed(failure))
    }

    /// Runs `body` for every subject once the subjects it depends on have finished, at most `jobs` at once,
    /// each on a dispatch thread; returns the results in plan order.
    private static func inDependencyOrder(
        _ subjects: [PlannedSubject], jobs: Int, slots: JobSlots?, board: SubjectBoard,
        _ body: @escaping @Sendable (PlannedSubject) -> [CheckResult]
    ) async -> [[CheckResult]] {
        let known = Set(subjects.map(\.id))
        let dependencies: [[MigrationSubject]] = subjects.map { planned in
            var needs: [MigrationSubject] = []
            if case let .resultOf(other) = planned.subject.start { needs.append(other) }
            if case let .subject(other, _) = planned.subject.equivalence { needs.append(other) }
            return needs.filter(known.contains)
        }
        return await withTaskGroup(of: (Int, [CheckResult]).self) { group in
            var results: [[CheckResult]] = Array(repeating: [], count: subjects.count)
            var waiting = Array(subjects.indices)
            var running = 0
            func launchReady() {
                var index = 0
                while index < waiting.count, running < jobs {
                    let candidate = waiting[index]
                    guard dependencies[candidate].allSatisfy(board.isFinished) else {
                        index += 1
                        continue
                    }
                    waiting.remove(at: index)
                    running += 1
                    let planned = subjects[candidate]
                    group.addTask {
                        await slots?.acquire()
                        defer { slots?.release() }
                        let value = await withCheckedContinuation { continuation in
                            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: body(planned)) }
                        }
                        return (candidate, value)
                    }
                }
            }
            launchReady()
            for await (index, value) in group {
                results[index] = value
                running -= 1
                launchReady()
            }
            return results
        }
    }
}
