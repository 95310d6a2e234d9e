import Foundation
import Testing

/// `--changed-since REF` on the built binary, in a temporary git repository holding a copy of e-commerce.
@Suite(.serialized) struct ChangedSinceTests {
    static let upgrade = "projects/e-commerce/versions/v2.0.0/upgrade/from-v1.1.0/postgresql"

    @Test func nothingChangedRehearsesNothingButThePolicyAndExits0() throws {
        let sandbox = try GitSandbox(projects: ["e-commerce"])
        defer { sandbox.remove() }
        let json = sandbox.root.appendingPathComponent("report.json")
        let outcome = try RehearseProcess.run(["verify", sandbox.migrations.path, "--changed-since", "HEAD", "--json", json.path])
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.stdout.contains("Nothing to rehearse: no migration changed since HEAD; only the policy checks run."))
        let report = try ReportedRun.read(json)
        #expect(report.testCases.sorted() == ["e-commerce/mongodb/project: policy", "e-commerce/postgresql/project: policy"])
    }

    @Test func aChangedUpgradeIsRehearsedAloneWithWhatItStartsFromAndComparesWithReplayed() throws {
        let sandbox = try GitSandbox(projects: ["e-commerce"])
        defer { sandbox.remove() }
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: sandbox.migrations.appendingPathComponent("\(Self.upgrade)/rollback").path).sorted().first)
        try sandbox.append("\n-- reviewed\n", to: "\(Self.upgrade)/rollback/\(file)")

        let plan = try ListedPlan.list([sandbox.migrations.path, "--changed-since", "HEAD"])
        #expect(plan.rehearsed == ["e-commerce/postgresql/upgrade v1.1.0 -> v2.0.0"])
        let postgres = try #require(plan.suites.first { $0.database == "postgresql" })
        #expect(postgres.subjects.filter { !$0.rehearsed }.map(\.id) == ["install v1.1.0", "install v2.0.0"])
        let mongo = try #require(plan.suites.first { $0.database == "mongodb" })
        #expect(mongo.subjects.isEmpty)

        // A suite left with only its policy check needs no server: no MongoDB server here, and still exit 0.
        let empty = sandbox.root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let json = sandbox.root.appendingPathComponent("report.json")
        let outcome = try RehearseProcess.run(
            ["verify", sandbox.migrations.path, "--changed-since", "HEAD", "--json", json.path],
            environment: ["PATH": "/usr/bin:/bin", "HOME": empty.path, "REHEARSE_CACHE_DIR": empty.path, "REHEARSE_NX27017": "", "REHEARSE_MONGOD": ""]
        )
        #expect(outcome.status == 0, "\(outcome.output)")
        let cases = try ReportedRun.read(json).testCases
        #expect(cases == plan.testCases)
        #expect(cases.contains("e-commerce/postgresql/upgrade v1.1.0 -> v2.0.0: equivalence"))
        #expect(!cases.contains { $0.contains("install v") })
    }

    @Test func untrackedFilesCountAndCommittedOnesSinceTheRevisionToo() throws {
        let sandbox = try GitSandbox(projects: ["e-commerce"])
        defer { sandbox.remove() }
        try sandbox.write("select true;\n", to: "projects/e-commerce/versions/v1.0.0/new-install/postgresql/validate/03_new.sql")
        #expect(try ListedPlan.list([sandbox.migrations.path, "--changed-since", "HEAD", "--database", "postgresql"]).rehearsed.first
            == "e-commerce/postgresql/install v1.0.0")
        try sandbox.commitAll("a validator")
        let since = try ListedPlan.list([sandbox.migrations.path, "--changed-since", "HEAD~1", "--database", "postgresql"])
        #expect(since.rehearsed.first == "e-commerce/postgresql/install v1.0.0")
        #expect(try ListedPlan.list([sandbox.migrations.path, "--changed-since", "HEAD"]).rehearsed.isEmpty)
    }

    @Test func aChangedProjectConfigRehearsesTheWholeProject() throws {
        let sandbox = try GitSandbox(projects: ["e-commerce"])
        defer { sandbox.remove() }
        try sandbox.append("\n# reviewed\n", to: "projects/e-commerce/project-config.yaml")
        let changed = try ListedPlan.list([sandbox.migrations.path, "--changed-since", "HEAD"])
        let whole = try ListedPlan.list([sandbox.migrations.path])
        #expect(changed.testCases == whole.testCases)
        #expect(changed.checkCount == whole.checkCount)
    }

    @Test func inAChainTheFirstChangedStepAndEveryLaterOneAreRehearsedTheEarlierReplayed() throws {
        let sandbox = try GitSandbox(layout: "flyway-shop")
        defer { sandbox.remove() }
        try sandbox.append("\n-- reviewed\n", to: "U4__index_orders_by_customer.sql")
        let plan = try ListedPlan.list([sandbox.migrations.path, "--changed-since", "HEAD"])
        let suite = try #require(plan.suites.first)
        #expect(suite.subjects.filter { !$0.rehearsed }.map(\.id) == ["migration V1__create_customers", "migration V2__create_products", "migration V3__create_orders"])
        #expect(suite.subjects.filter(\.rehearsed).map(\.id) == ["migration V4__index_orders_by_customer", "migration V5__add_customer_phone", "migration R__order_totals_view"])
        let json = sandbox.root.appendingPathComponent("report.json")
        let outcome = try RehearseProcess.run(["verify", sandbox.migrations.path, "--changed-since", "HEAD", "--json", json.path])
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(try ReportedRun.read(json).testCases == plan.testCases)
    }

    @Test func aRevisionGitDoesNotKnowIsAnInputErrorNamingTheFlag() throws {
        let sandbox = try GitSandbox(projects: ["e-commerce"])
        defer { sandbox.remove() }
        let outcome = try RehearseProcess.run(["verify", sandbox.migrations.path, "--changed-since", "no-such-branch"])
        #expect(outcome.status == 2, "\(outcome.output)")
        #expect(outcome.stderr.contains("--changed-since: git does not know `no-such-branch`"), "\(outcome.stderr)")
        // Never handed to git as an option.
        let option = try RehearseProcess.run(["list", sandbox.migrations.path, "--changed-since=--output=x"])
        #expect(option.status == 2)
        #expect(option.stderr.contains("--changed-since: `--output=x` is not a git revision"), "\(option.stderr)")
    }

    @Test func aPathOutsideAGitWorkTreeIsAnInputErrorNamingTheFlag() throws {
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-nogit-\(UUID().uuidString)")
        let project = outside.appendingPathComponent("projects/e-commerce")
        try FileManager.default.createDirectory(at: outside.appendingPathComponent("projects"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: RehearseProcess.packageRoot.appendingPathComponent("sample-migrations/projects/e-commerce"), to: project)
        defer { try? FileManager.default.removeItem(at: outside) }
        let outcome = try RehearseProcess.run(["verify", outside.path, "--changed-since", "main"], environment: ["GIT_CEILING_DIRECTORIES": FileManager.default.temporaryDirectory.path])
        #expect(outcome.status == 2, "\(outcome.output)")
        #expect(outcome.stderr.contains("--changed-since: \(outside.path) is not inside a git work tree"), "\(outcome.stderr)")
    }
}
