import Foundation

/// Rehearses one database of one project: the policy check, every install, then every upgrade edge.
///
/// Installs run first (up to `options.jobs` at once) because upgrades clone the installed databases and compare
/// against them; then the upgrade edges run, again up to `jobs` at once. Every scratch database is dropped on every
/// path. Database work blocks, so it runs on dispatch threads rather than the cooperative pool.
public struct SuiteRehearsal: Sendable {
    public let project: Project
    public let database: DatabaseKind
    public let engine: any DatabaseEngine
    public let scripts: PreparedScripts
    public let options: RehearsalOptions
    public let progress: @Sendable (CheckResult) -> Void

    public init(
        project: Project, database: DatabaseKind, engine: any DatabaseEngine, scripts: PreparedScripts,
        options: RehearsalOptions, progress: @escaping @Sendable (CheckResult) -> Void
    ) {
        self.project = project
        self.database = database
        self.engine = engine
        self.scripts = scripts
        self.options = options
        self.progress = progress
    }

    /// The checks that run for each kind of subject, in report order.
    public static func checks(for subject: MigrationSubject, backup: Bool) -> [Check] {
        switch subject {
        case .project: [.policy]
        case .migration: [.forward, .validate, .idempotence, .rollback, .reversibility, .reapply, .dataPreservation]
        case .install: [.forward, .validate, .idempotence, .rollback, .reversibility, .reapply]
        case .upgrade:
            [.forward, .validate, .idempotence, .rollback, .reversibility, .reapply, .dataPreservation, .equivalence]
                + (backup ? [.backup] : [])
        }
    }

    /// A report for a database whose server could not be had: the policy check still runs (it needs no
    /// server); every other planned check is skipped with `reason`.
    public static func skippedReport(project: Project, database: DatabaseKind, reason: String, progress: @Sendable (CheckResult) -> Void) -> SuiteReport {
        let graph = VersionGraph(project: project, database: database)
        let backup = project.config.policies.backupBeforeUpgrade
        let policy = policyResult(project: project, database: database)
        progress(policy)
        var results = [policy]
        for subject in graph.subjects {
            for check in checks(for: subject, backup: backup) {
                let result = CheckResult(subject: subject, check: check, outcome: .skipped(reason: reason))
                progress(result)
                results.append(result)
            }
        }
        return SuiteReport(project: project.name, database: database, server: nil, results: results, duration: 0)
    }

    public func run() async -> SuiteReport {
        let start = Date()
        let graph = VersionGraph(project: project, database: database)
        var results = [Self.policyResult(project: project, database: database)]
        progress(results[0])

        let installs = await forEachConcurrently(graph.installs) { version in
            self.rehearseInstall(version)
        }
        var installed: [SemanticVersion: InstalledVersion] = [:]
        for (version, outcome) in zip(graph.installs, installs) {
            results += outcome.results
            installed[version] = outcome.installed
        }
        let templates = installed
        let upgrades = await forEachConcurrently(graph.upgrades) { edge in
            self.rehearseUpgrade(edge, installed: templates)
        }
        results += upgrades.flatMap { $0 }
        for state in installed.values { state.drop() }
        return SuiteReport(
            project: project.name, database: database, server: engine.serverInfo,
            results: results, duration: Date().timeIntervalSince(start)
        )
    }

    // MARK: - Policy

    private static func policyResult(project: Project, database: DatabaseKind) -> CheckResult {
        let checker = PolicyChecker(project: project, database: database)
        guard checker.hasRules else {
            return CheckResult(subject: .project, check: .policy, outcome: .skipped(reason: "no policies or compatibility_matrix in project-config.yaml"))
        }
        let violations = checker.violations()
        guard !violations.isEmpty else {
            return CheckResult(subject: .project, check: .policy, outcome: .passed)
        }
        let message = violations.count == 1 ? violations[0] : "\(violations.count) policy violations; first: \(violations[0])"
        return CheckResult(subject: .project, check: .policy, outcome: .failed(message: message, details: violations.joined(separator: "\n")))
    }

    // MARK: - Install

    private struct InstallOutcome {
        var results: [CheckResult]
        var installed: InstalledVersion?
    }

    private func rehearseInstall(_ version: SemanticVersion) -> InstallOutcome {
        let subject = MigrationSubject.install(version)
        let recorder = CheckRecorder(subject: subject, report: progress)
        let scriptSet = project.version(version)!.installs[database]!
        let label = "install_" + version.bare
        let remaining = Self.checks(for: subject, backup: false)

        var created: (any ScratchDatabase)?
        let base: any ScratchDatabase
        let empty: SchemaSnapshot
        do {
            base = try engine.createDatabase(label: label)
            created = base
            empty = try base.snapshot()
        } catch {
            created?.drop()
            recorder.run(.forward) { throw StepFailure(context: "could not create a scratch database", underlying: error) }
            recorder.skip(Array(remaining.dropFirst()), "no scratch database")
            return InstallOutcome(results: recorder.results, installed: nil)
        }
        var installedSnapshot = SchemaSnapshot.empty
        var installedData = DataFingerprint()
        let forwardPassed = recorder.run(.forward) {
            try apply(scriptSet.forward, to: base)
            installedSnapshot = try base.snapshot()
            installedData = try base.fingerprint()
            return .passed
        }
        guard forwardPassed else {
            base.drop()
            recorder.skip(Array(remaining.dropFirst()), "forward failed")
            return InstallOutcome(results: recorder.results, installed: nil)
        }
        let installed = InstalledVersion(version: version, database: base, snapshot: installedSnapshot)
        _ = runCommonChecks(
            recorder: recorder, scriptSet: scriptSet, label: label,
            makeForwardDatabase: { try installed.clone(label: $0) },
            before: empty, after: installedSnapshot, afterData: installedData
        )
        return InstallOutcome(results: recorder.results, installed: installed)
    }

    // MARK: - Upgrade

    private func rehearseUpgrade(_ edge: UpgradeEdge, installed: [SemanticVersion: InstalledVersion]) -> [CheckResult] {
        let subject = MigrationSubject.upgrade(from: edge.from, to: edge.to)
        let recorder = CheckRecorder(subject: subject, report: progress)
        let scriptSet = project.version(edge.to)!.upgrade(from: edge.from, database: database)!.scripts
        let backupWanted = project.config.policies.backupBeforeUpgrade
        let checks = Self.checks(for: subject, backup: backupWanted)
        let label = "upgrade_\(edge.from.bare)_\(edge.to.bare)"

        guard let old = installed[edge.from] else {
            let why = project.version(edge.from)?.installs[database] == nil
                ? "\(edge.from) has no new-install/\(database.rawValue)/ to start from"
                : "install \(edge.from) failed"
            recorder.skip(checks, why)
            return recorder.results
        }
        var upgraded: (any ScratchDatabase)?
        defer { upgraded?.drop() }
        var upgradedSnapshot = SchemaSnapshot.empty
        var upgradedData = DataFingerprint()
        let forwardPassed = recorder.run(.forward) {
            let database = try old.clone(label: label)
            upgraded = database
            try apply(scriptSet.forward, to: database)
            upgradedSnapshot = try database.snapshot()
            upgradedData = try database.fingerprint()
            return .passed
        }
        guard forwardPassed, let upgraded else {
            recorder.skip(Array(checks.dropFirst()), "forward failed")
            return recorder.results
        }
        let rollback = runCommonChecks(
            recorder: recorder, scriptSet: scriptSet, label: label,
            makeForwardDatabase: { try upgraded.clone(label: $0) },
            before: old.snapshot, after: upgradedSnapshot, afterData: upgradedData
        )
        recorder.run(.dataPreservation) {
            switch rollback {
            case .failed: .skipped("rollback failed")
            case .missing, .passed: try dataPreservation(edge: edge, scriptSet: scriptSet, old: old, label: label)
            }
        }
        recorder.run(.equivalence) {
            guard let fresh = installed[edge.to] else {
                let why = project.version(edge.to)?.installs[database] == nil
                    ? "\(edge.to) has no new-install/\(database.rawValue)/ to compare with"
                    : "install \(edge.to) failed"
                return .skipped(why)
            }
            let diff = SnapshotDiff(from: fresh.snapshot, to: upgradedSnapshot, strictColumnOrder: options.strictColumnOrder)
            guard diff.isEmpty else {
                return .failed(
                    "upgrade \(edge) differs from a fresh install of \(edge.to): \(diff.changes.count) difference\(diff.changes.count == 1 ? "" : "s") (\(Self.firstLine(diff)))",
                    "- only in a fresh install of \(edge.to)\n+ only after upgrading from \(edge.from)\n\n" + diff.text
                )
            }
            return Verdict(outcome: .passed, notes: diff.notes)
        }
        if backupWanted {
            recorder.run(.backup) { try backup(edge: edge, old: old, label: label) }
        }
        return recorder.results
    }

    private func dataPreservation(edge: UpgradeEdge, scriptSet: ScriptSet, old: InstalledVersion, label: String) throws -> Verdict {
        let fixtures = project.version(edge.from)?.fixtures[database] ?? []
        guard !fixtures.isEmpty else {
            return .skipped("no fixtures for \(edge.from) (versions/\(edge.from)/fixtures/\(database.rawValue)/)")
        }
        guard !scriptSet.undo.isEmpty else { return .skipped("no rollback scripts") }
        let scratch = try old.clone(label: label + "_data")
        defer { scratch.drop() }
        try StepFailure.during("\(edge.from)'s fixtures could not be loaded") { try apply(fixtures, to: scratch) }
        let before = try scratch.fingerprint()
        try StepFailure.during("the upgrade failed with \(edge.from)'s fixtures loaded") { try apply(scriptSet.forward, to: scratch) }
        try StepFailure.during("the rollback failed with \(edge.from)'s fixtures loaded") { try apply(scriptSet.undo, to: scratch) }
        let diff = DataDiff(from: before, to: try scratch.fingerprint(), includeNewTables: false)
        guard diff.isEmpty else {
            let tables = diff.tables.map(\.table).joined(separator: ", ")
            let example = diff.tables.first?.rows.first.map { ": \($0)" } ?? ""
            return .failed("upgrade then rollback changed the data of \(tables)\(example)", diff.text)
        }
        return .passed
    }

    private func backup(edge: UpgradeEdge, old: InstalledVersion, label: String) throws -> Verdict {
        let scratch = try old.clone(label: label + "_backup")
        defer { scratch.drop() }
        try apply(project.version(edge.from)?.fixtures[database] ?? [], to: scratch)
        let original = try scratch.snapshot()
        let restored: SchemaSnapshot
        do {
            restored = try scratch.backupRoundTrip()
        } catch let unavailable as BackupUnavailable {
            return .skipped(unavailable.reason)
        }
        let diff = SnapshotDiff(from: original, to: restored, strictColumnOrder: true)
        guard diff.isEmpty else {
            return .failed("a dump of \(edge.from) restores with a different schema (\(Self.firstLine(diff)))", "- only in the original\n+ only in the restored copy\n\n" + diff.text)
        }
        return .passed
    }

    // MARK: - Checks shared by installs and upgrades

    /// How the undo scripts fared, for the checks that need them afterwards.
    private enum RollbackOutcome { case passed, failed, missing }

    /// validate, idempotence, rollback, reversibility and reapply, each on its own clone of the forward result.
    private func runCommonChecks(
        recorder: CheckRecorder, scriptSet: ScriptSet, label: String,
        makeForwardDatabase: (String) throws -> any ScratchDatabase,
        before: SchemaSnapshot, after: SchemaSnapshot, afterData: DataFingerprint
    ) -> RollbackOutcome {
        recorder.run(.validate) {
            guard !scriptSet.validators.isEmpty else { return .skipped("no validators") }
            let scratch = try makeForwardDatabase(label + "_validate")
            defer { scratch.drop() }
            for validator in scriptSet.validators {
                try scratch.validate(scripts[validator])
            }
            return .passed
        }
        recorder.run(.idempotence) {
            let scratch = try makeForwardDatabase(label + "_idem")
            defer { scratch.drop() }
            try StepFailure.during("the second run failed") { try apply(scriptSet.forward, to: scratch) }
            let schema = SnapshotDiff(from: after, to: try scratch.snapshot(), strictColumnOrder: options.strictColumnOrder)
            let data = DataDiff(from: afterData, to: try scratch.fingerprint())
            if schema.isEmpty, data.isEmpty { return Verdict(outcome: .passed, notes: schema.notes) }
            var parts: [String] = []
            var details: [String] = []
            if !schema.isEmpty {
                parts.append("the second run changed the schema (\(Self.firstLine(schema)))")
                details.append("schema after the first run (-) and after the second (+):\n" + schema.text)
            }
            if !data.isEmpty {
                parts.append("the second run changed the data of \(data.tables.map(\.table).joined(separator: ", "))")
                details.append("data after the first run and after the second:\n" + data.text)
            }
            return .failed(parts.joined(separator: "; "), details.joined(separator: "\n\n"))
        }
        guard !scriptSet.undo.isEmpty else {
            let reason = scriptSet.hasRollbackFolder ? "no undo scripts in \(scriptSet.folder)/rollback/" : "no rollback/ folder in \(scriptSet.folder)"
            recorder.skip([.rollback, .reversibility, .reapply], reason)
            return .missing
        }
        var rolledBack: (any ScratchDatabase)?
        defer { rolledBack?.drop() }
        let rollbackPassed = recorder.run(.rollback) {
            let scratch = try makeForwardDatabase(label + "_rollback")
            rolledBack = scratch
            try apply(scriptSet.undo, to: scratch)
            return .passed
        }
        guard rollbackPassed, let rolledBack else {
            recorder.skip([.reversibility, .reapply], "rollback failed")
            return .failed
        }
        recorder.run(.reversibility) {
            let diff = SnapshotDiff(from: before, to: try rolledBack.snapshot(), strictColumnOrder: options.strictColumnOrder)
            guard diff.isEmpty else {
                return .failed(
                    "the schema after rollback differs from before forward: \(diff.changes.count) difference\(diff.changes.count == 1 ? "" : "s") (\(Self.firstLine(diff)))",
                    "- only before forward\n+ only after rollback\n\n" + diff.text
                )
            }
            return Verdict(outcome: .passed, notes: diff.notes)
        }
        recorder.run(.reapply) {
            try StepFailure.during("forward after rollback failed") { try apply(scriptSet.forward, to: rolledBack) }
            let diff = SnapshotDiff(from: after, to: try rolledBack.snapshot(), strictColumnOrder: options.strictColumnOrder)
            guard diff.isEmpty else {
                return .failed(
                    "forward after rollback gives a different schema than the first forward (\(Self.firstLine(diff)))",
                    "- only after the first forward\n+ only after rollback and forward again\n\n" + diff.text
                )
            }
            return Verdict(outcome: .passed, notes: diff.notes)
        }
        return .passed
    }

    // MARK: - Helpers

    private typealias Verdict = CheckRecorder.Verdict

    private func apply(_ files: [ScriptFile], to database: any ScratchDatabase) throws {
        for file in files { try database.apply(scripts[file]) }
    }

    private static func firstLine(_ diff: SnapshotDiff) -> String {
        let first = diff.lines.first ?? ""
        return diff.changes.count > 1 ? first + ", …" : first
    }

    /// Runs `body` for every element, at most `options.jobs` at once, each on a dispatch thread; keeps input order.
    private func forEachConcurrently<Element: Sendable, Result: Sendable>(
        _ elements: [Element], _ body: @escaping @Sendable (Element) -> Result
    ) async -> [Result] {
        await withTaskGroup(of: (Int, Result).self) { group in
            var results: [Result?] = Array(repeating: nil, count: elements.count)
            var next = 0
            func launch() {
                guard next < elements.count else { return }
                let index = next, element = elements[index]
                next += 1
                group.addTask {
                    let value = await withCheckedContinuation { continuation in
                        DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: body(element)) }
                    }
                    return (index, value)
                }
            }
            for _ in 0..<min(options.jobs, elements.count) { launch() }
            for await (index, value) in group {
                results[index] = value
                launch()
            }
            return results.map { $0! }
        }
    }
}
