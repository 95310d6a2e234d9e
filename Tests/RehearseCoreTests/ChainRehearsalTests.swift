import Foundation
import Testing
@testable import RehearseCore

/// Chains on the in-memory engine: one walking database, O(N) script runs, the chain's skip and failure rules.
@Suite struct ChainRehearsalTests {
    /// `steps`: id → (up, down?) in fake-engine commands, written as `<id>.up` / `<id>.down` files.
    static func chain(
        _ steps: [(String, String, String?)], config: RehearseConfig? = nil, execution: ExecutionMode = .transaction,
        baselines: [(String, String)] = [], versions: [String: String] = [:]
    ) throws -> (TemporaryRepository, LoadedRepository) {
        var files: [String: String] = [:]
        for (id, up, down) in steps {
            files["\(id).up"] = up
            if let down { files["\(id).down"] = down }
        }
        for (version, body) in baselines { files["B\(version).base"] = body }
        let repo = try TemporaryRepository(files)
        let folder = RepositoryFolder(url: repo.root, display: "repo")
        func file(_ name: String, _ role: ScriptFile.Role) -> ScriptFile {
            let child = folder.child(name)
            return ScriptFile(url: child.url, displayPath: child.display, role: role, phase: role.rawValue, number: nil, summary: name, execution: execution)
        }
        let migrations = steps.map { id, _, down in
            ChainMigration(
                id: id, version: versions[id], forward: [file("\(id).up", .forward)], undo: down == nil ? nil : [file("\(id).down", .undo)],
                location: "repo/\(id).up", undoLocation: "repo/\(id).down"
            )
        }
        let chainBaselines = baselines.map { version, _ in
            ChainBaseline(version: version, files: [file("B\(version).base", .baseline)], label: "baseline B\(version)")
        }
        let loaded = try ChainBuilder(layout: "test", folder: folder, config: config).build(migrations, baselines: chainBaselines)
        return (repo, loaded)
    }

    static func rehearse(
        _ loaded: LoadedRepository, engine: FakeEngine = FakeEngine(), options: RehearsalOptions = RehearsalOptions(jobs: 2),
        from: String? = nil, to: String? = nil
    ) async throws -> SuiteReport {
        let suite = try loaded.suites[0].window(from: from, to: to)
        var scripts = PreparedScripts()
        try InputErrors.throwIfAny(scripts.prepare(suite, with: FakeParser()))
        let report = await SuiteRehearsal(
            plan: RehearsalPlan.plan(suite, scripts: scripts, options: options), engine: engine, scripts: scripts,
            options: options, progress: { _ in }
        ).run()
        #expect(engine.liveDatabases.isEmpty, "scratch databases left behind: \(engine.liveDatabases)")
        return report
    }

    static let good: [(String, String, String?)] = [
        ("001_customers", "create table customers\ncreate column customers.code text", "drop column customers.code\ndrop table customers"),
        ("002_orders", "create table orders\ncreate index idx_orders on orders", "drop index idx_orders\ndrop table orders"),
        ("003_seed", "insert customers 1 A-1\ninsert customers 2 B-2", "delete customers 1\ndelete customers 2"),
        ("004_notes", "create table notes", "drop table notes"),
    ]

    @Test func aGoodChainPassesWithSubjectsInOrder() async throws {
        let (repo, loaded) = try Self.chain(Self.good)
        defer { repo.remove() }
        let report = try await Self.rehearse(loaded)
        #expect(report.failures == 0, "\(report.results.filter(\.isFailure).map { "\($0.name): \($0.outcome)" })")
        #expect(report.results.first?.name == "project: policy")
        #expect(report.results.dropFirst().map(\.subject.description).uniqued() == Self.good.map { "migration \($0.0)" })
        let checks = report.results.filter { $0.subject == .migration("002_orders") }.map(\.check)
        #expect(checks == [.forward, .validate, .idempotence, .rollback, .reversibility, .reapply, .dataPreservation])
        let idempotence = report.results.first { $0.name == "migration 002_orders: idempotence" }
        #expect(idempotence?.outcome == .skipped(reason: "runs in one transaction: a failed run leaves nothing to re-run"))
        // The first two steps start with no rows; the fourth starts with the seeded customers.
        #expect(report.results.first { $0.name == "migration 001_customers: data-preservation" }?.isSkipped == true)
        #expect(report.results.first { $0.name == "migration 004_notes: data-preservation" }?.outcome == .passed)
    }

    /// The walking database: each forward runs once on it and once more for reapply; no step replays earlier ones.
    @Test func aChainWalksOneDatabaseInLinearTime() async throws {
        var steps: [(String, String, String?)] = []
        for index in 1...30 {
            let table = "t\(index)"
            steps.append((String(format: "%03d_t", index), "create table \(table)", "drop table \(table)"))
        }
        let (repo, loaded) = try Self.chain(steps)
        defer { repo.remove() }
        let engine = FakeEngine()
        let report = try await Self.rehearse(loaded, engine: engine)
        #expect(report.failures == 0)
        for (id, _, _) in steps {
            #expect(engine.applied["repo/\(id).up"] == 2, "\(id) forward ran \(engine.applied["repo/\(id).up"] ?? 0) times")
            #expect(engine.applied["repo/\(id).down"] == 1)
        }
        // One copy per step for the rollback (idempotence is not required in a transaction): O(N).
        #expect(engine.clones == steps.count)
    }

    @Test func aFailedForwardEndsTheChain() async throws {
        var steps = Self.good
        steps[1].1 = "create table orders\nfail boom"
        let (repo, loaded) = try Self.chain(steps)
        defer { repo.remove() }
        let report = try await Self.rehearse(loaded)
        #expect(report.results.filter(\.isFailure).map(\.name) == ["migration 002_orders: forward"])
        let later = report.results.filter { $0.subject == .migration("003_seed") || $0.subject == .migration("004_notes") }
        #expect(!later.isEmpty)
        #expect(later.allSatisfy { $0.outcome == .skipped(reason: "migration 002_orders failed forward") })
        #expect(report.results.first { $0.name == "migration 002_orders: forward" }?.failure?.file == "repo/002_orders.up")
        #expect(report.results.first { $0.name == "migration 002_orders: forward" }?.failure?.line == 2)
    }

    @Test func anEmptyDownFailsRollbackUnlessIrreversible() async throws {
        var steps = Self.good
        steps[3].2 = "   "
        let (repo, loaded) = try Self.chain(steps)
        defer { repo.remove() }
        let report = try await Self.rehearse(loaded)
        #expect(report.results.filter(\.isFailure).map(\.name) == ["migration 004_notes: rollback"])
        let failure = try #require(report.results.first { $0.name == "migration 004_notes: rollback" }?.failure)
        #expect(failure.message.hasPrefix("empty rollback"))
        #expect(failure.file == "repo/004_notes.down")

        let config = RehearseConfig(displayPath: "repo/rehearse.yaml", irreversible: ["004_notes"])
        let (repo2, declared) = try Self.chain(steps, config: config)
        defer { repo2.remove() }
        let second = try await Self.rehearse(declared)
        #expect(second.failures == 0)
        let skipped = second.results.filter { $0.subject == .migration("004_notes") && $0.isSkipped }.map(\.check)
        #expect(Set(skipped).isSuperset(of: [.rollback, .reversibility, .reapply]))
        #expect(second.results.first { $0.name == "migration 004_notes: rollback" }?.outcome == .skipped(reason: "declared irreversible"))
    }

    @Test func aMissingDownSkipsRollbackChecks() async throws {
        var steps = Self.good
        steps[1].2 = nil
        let (repo, loaded) = try Self.chain(steps)
        defer { repo.remove() }
        let report = try await Self.rehearse(loaded)
        #expect(report.failures == 0)
        #expect(report.results.first { $0.name == "migration 002_orders: rollback" }?.outcome == .skipped(reason: "no down migration (expected repo/002_orders.down)"))
    }

    @Test func aDownThatForgetsAColumnFailsReversibilityOfThatStep() async throws {
        var steps = Self.good
        steps[0].2 = "drop table customers"
        let (repo, loaded) = try Self.chain(steps)
        defer { repo.remove() }
        let report = try await Self.rehearse(loaded)
        #expect(report.results.filter(\.isFailure).map(\.name) == ["migration 001_customers: reversibility"])
        let failure = try #require(report.results.first { $0.name == "migration 001_customers: reversibility" }?.failure)
        #expect(failure.message.contains("column customers.code"))
        #expect(failure.file == "repo/001_customers.down")
    }

    /// Rows loaded after a step are what later steps' data-preservation compares.
    @Test func aDownThatLosesRowsFailsDataPreservation() async throws {
        var steps = Self.good
        steps[3] = ("004_drop_seed", "delete customers 2", "create table customers")
        let (repo, loaded) = try Self.chain(steps)
        defer { repo.remove() }
        let report = try await Self.rehearse(loaded)
        #expect(report.results.filter(\.isFailure).map(\.name) == ["migration 004_drop_seed: data-preservation"])
        #expect(report.results.first { $0.name == "migration 004_drop_seed: data-preservation" }?.failure?.message.contains("customers id=2") == true)
    }

    @Test func idempotenceRunsOutsideATransactionAndCatchesASecondRun() async throws {
        var steps = Self.good
        steps[1].1 = "create table orders\ncreate! index idx_orders on orders"
        let (repo, loaded) = try Self.chain(steps, execution: .autocommit)
        defer { repo.remove() }
        let report = try await Self.rehearse(loaded)
        #expect(report.results.filter(\.isFailure).map(\.name) == ["migration 002_orders: idempotence"])
        let never = try await Self.rehearse(loaded, options: RehearsalOptions(jobs: 1, idempotence: .never))
        #expect(never.failures == 0)
    }

    @Test func aBaselineIsComparedAtItsVersion() async throws {
        let (repo, loaded) = try Self.chain(
            Self.good, baselines: [("2", "create table customers\ncreate column customers.code text\ncreate table orders")],
            versions: ["002_orders": "2"]
        )
        defer { repo.remove() }
        let report = try await Self.rehearse(loaded)
        #expect(report.results.filter(\.isFailure).map(\.name) == ["migration 002_orders: equivalence"])
        let failure = try #require(report.results.first { $0.name == "migration 002_orders: equivalence" }?.failure)
        #expect(failure.message.contains("baseline B2"))
        #expect(failure.details.contains("+ index idx_orders"))
        #expect(!report.results.contains { $0.name == "migration 001_customers: equivalence" })
    }

    @Test func fromAndToRehearseAWindow() async throws {
        let (repo, loaded) = try Self.chain(Self.good)
        defer { repo.remove() }
        let engine = FakeEngine()
        let report = try await Self.rehearse(loaded, engine: engine, from: "002_orders", to: "003_seed")
        #expect(report.results.dropFirst().map(\.subject.description).uniqued() == ["migration 002_orders", "migration 003_seed"])
        #expect(engine.applied["repo/001_customers.up"] == 1, "applied forward only")
        #expect(engine.applied["repo/004_notes.up"] == nil)
        #expect(throws: InputError.self) { try loaded.suites[0].window(from: "002_order", to: nil) }
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

@Suite struct DiffAttributionTests {
    static func script(_ path: String, number: Int?, role: ScriptFile.Role, _ statements: [(Int, [StatementObject])]) -> PreparedScript {
        let file = ScriptFile(
            url: URL(fileURLWithPath: "/tmp/" + path), displayPath: path, role: role, phase: "p",
            number: number.map { MigrationNumber(version: nil, sequence: $0) }, summary: path
        )
        return PreparedScript(file: file, statements: statements.map { line, objects in
            ScriptStatement(text: "x", line: line, column: 1, objects: objects)
        })
    }

    let attribution = DiffAttribution(
        forward: [
            script("V1__a.sql", number: 1, role: .forward, [(3, [StatementObject(kind: "table", name: "public.orders", action: .created)])]),
            script("V2__b.sql", number: 2, role: .forward, [
                (1, [StatementObject(kind: "index", name: "public.idx_x", action: .created)]),
                (5, [StatementObject(kind: "table", name: "public.orders", action: .altered)]),
            ]),
        ],
        undo: [
            script("U2__b.sql", number: 2, role: .undo, [(2, [StatementObject(kind: "table", name: "public.orders", action: .dropped)])]),
            script("U1__a.sql", number: 1, role: .undo, []),
        ],
        undoLocation: "rollback/"
    )

    @Test func anObjectLeftBehindNamesItsStatementAndTheUndoOfTheSameNumber() {
        let lines = attribution.afterRollback(.added(SnapshotObject(kind: "index", name: "public.idx_x", definition: "")))
        #expect(lines == ["created by V2__b.sql:1; U2__b.sql should drop it"])
    }

    @Test func aColumnIsTracedToTheLastStatementOnItsTable() {
        let column = SnapshotObject(kind: "column", name: "public.orders.note", definition: "text")
        #expect(attribution.forwardLines(.added(column)) == ["changed by V2__b.sql:5"])
    }

    @Test func anUndoThatDropsTooMuchIsNamed() {
        let table = SnapshotObject(kind: "table", name: "public.orders", definition: "")
        #expect(attribution.afterRollback(.removed(table)) == ["dropped by U2__b.sql:2, which should leave it in place"])
    }

    /// crates.io's shape: the forward drops a table (or a constraint `IF EXISTS` that was never there) and the undo
    /// re-creates it differently, so the undo is what added the new object and the forward's drop what lost the old.
    let recreated = DiffAttribution(
        forward: [
            script("up.sql", number: nil, role: .forward, [
                (1, [StatementObject(kind: "constraint", name: "public.versions.sha_present", action: .dropped)]),
                (4, [StatementObject(kind: "table", name: "public.readme", action: .dropped)]),
            ]),
        ],
        undo: [
            script("down.sql", number: nil, role: .undo, [
                (1, [
                    StatementObject(kind: "table", name: "public.readme", action: .created),
                    StatementObject(kind: "constraint", name: "public.readme.readme_version_id_fkey", action: .created),
                ]),
                (6, [StatementObject(kind: "constraint", name: "public.versions.sha_present", action: .created)]),
            ]),
        ]
    )

    @Test func anObjectTheUndoCreatesIsNamedInTheUndoNotInTheForwardDrop() {
        let constraint = SnapshotObject(kind: "constraint", name: "public.versions.sha_present", definition: "CHECK (x)")
        #expect(recreated.afterRollback(.added(constraint)) == ["created by down.sql:6 in the undo"])
        let renamed = SnapshotObject(kind: "constraint", name: "public.readme.readme_version_id_fkey", definition: "FOREIGN KEY")
        #expect(recreated.afterRollback(.added(renamed)) == ["created by down.sql:1 in the undo"])
    }

    @Test func anObjectLostWithADroppedTableNamesTheDropAndTheUndoThatShouldRecreateIt() {
        let constraint = SnapshotObject(kind: "constraint", name: "public.readme.fk_readme_version", definition: "FOREIGN KEY")
        #expect(recreated.afterRollback(.removed(constraint)) == ["dropped by up.sql:4; down.sql should re-create it"])
    }

    @Test func anObjectNoStatementNamesGetsNoGuess() {
        #expect(attribution.forwardLines(.added(SnapshotObject(kind: "index", name: "public.other", definition: ""))) == [])
    }
}
