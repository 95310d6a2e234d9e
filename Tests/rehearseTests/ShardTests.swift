import Foundation
import Testing

/// `--shard I/N` and `REHEARSE_SHARD` on the built binary: the shards of a real run report, together, exactly
/// the test cases of the unsharded run, each once; and each reports what `list --json` planned for it.
@Suite(.serialized) struct ShardTests {
    static let sample = ["sample-migrations", "--project", "e-commerce", "--project", "broken-install-drift", "--database", "postgresql"]

    static func verify(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, cases: [String], output: String) {
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-shard-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: json) }
        let outcome = try RehearseProcess.run(["verify"] + sample + arguments + ["--json", json.path], environment: environment)
        return (outcome.status, try ReportedRun.read(json).testCases, outcome.output)
    }

    @Test func threeShardsTogetherAreTheWholeRunEachTestCaseOnce() throws {
        let whole = try Self.verify([])
        // broken-install-drift fails its equivalence check: exit 1 for the run and for the shard that holds it.
        #expect(whole.status == 1, "\(whole.output)")
        #expect(try ListedPlan.list(Self.sample).testCases.sorted() == whole.cases.sorted())

        var shards: [[String]] = []
        var statuses: [Int32] = []
        for index in 1...3 {
            // The variable for one shard, the flag for the others: both name the same split.
            let run = index == 2 ? try Self.verify([], environment: ["REHEARSE_SHARD": "2/3"]) : try Self.verify(["--shard", "\(index)/3"])
            #expect(run.status == 0 || run.status == 1, "\(run.output)")
            #expect(try ListedPlan.list(Self.sample + ["--shard", "\(index)/3"]).testCases.sorted() == run.cases.sorted())
            shards.append(run.cases)
            statuses.append(run.status)
        }
        #expect(shards.allSatisfy { !$0.isEmpty })
        #expect(shards.flatMap { $0 }.sorted() == whole.cases.sorted())
        for (a, b) in [(0, 1), (0, 2), (1, 2)] {
            #expect(Set(shards[a]).isDisjoint(with: shards[b]), "shards \(a + 1) and \(b + 1) share test cases")
        }
        #expect(statuses.filter { $0 == 1 }.count == 1, "exactly one shard holds the failing equivalence: \(statuses)")
        // Each project's policy is reported by one shard only.
        #expect(shards.flatMap { $0 }.filter { $0.hasSuffix("project: policy") }.count == 2)
    }

    @Test func aChainsShardsAreContiguousRangesThatTogetherAreTheWholeChain() throws {
        let chain = ["sample-migrations/layouts/flyway-shop"]
        func run(_ extra: [String]) throws -> (status: Int32, cases: [String]) {
            let json = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-shard-\(UUID().uuidString).json")
            defer { try? FileManager.default.removeItem(at: json) }
            let outcome = try RehearseProcess.run(["verify"] + chain + extra + ["--json", json.path])
            #expect(outcome.status == 0, "\(outcome.output)")
            return (outcome.status, try ReportedRun.read(json).testCases)
        }
        let whole = try run([]).cases
        var parts: [[String]] = []
        for index in 1...3 {
            let plan = try ListedPlan.list(chain + ["--shard", "\(index)/3"])
            let steps = try #require(plan.suites.first).subjects
            // Forward-only steps first, then the shard's own range; nothing after it.
            #expect(steps.map(\.rehearsed) == steps.map(\.rehearsed).sorted { !$0 && $1 }, "\(steps.map(\.id))")
            let cases = try run(["--shard", "\(index)/3"]).cases
            #expect(cases.sorted() == plan.testCases.sorted())
            parts.append(cases)
        }
        #expect(parts.flatMap { $0 }.sorted() == whole.sorted())
        #expect(Set(parts.flatMap { $0 }).count == whole.count)
    }

    @Test func theFlagWinsOverTheVariableAndBadValuesAreUsageErrors() throws {
        let flag = try ListedPlan.list(Self.sample + ["--shard", "1/2"], environment: ["REHEARSE_SHARD": "2/2"])
        let first = try ListedPlan.list(Self.sample, environment: ["REHEARSE_SHARD": "1/2"])
        #expect(flag.testCases == first.testCases)
        #expect(flag.testCases != (try ListedPlan.list(Self.sample, environment: ["REHEARSE_SHARD": "2/2"])).testCases)

        for bad in ["0/3", "4/3", "1/0", "x"] {
            let option = try RehearseProcess.run(["verify", "sample-migrations", "--shard", bad])
            #expect(option.status == 2, "\(bad): \(option.output)")
            #expect(option.stderr.contains("--shard: `\(bad)` is not a shard"), "\(option.stderr)")
        }
        let variable = try RehearseProcess.run(["verify", "sample-migrations"], environment: ["REHEARSE_SHARD": "3/2"])
        #expect(variable.status == 2)
        #expect(variable.stderr.contains("REHEARSE_SHARD: `3/2` is not a shard"), "\(variable.stderr)")
    }

    @Test func anEmptyShardSaysSoAndExits0() throws {
        // Five subjects in twelve shards: some shards hold none of them (and not the policy check either).
        let sample = ["sample-migrations", "--project", "e-commerce", "--database", "postgresql"]
        let empty = try #require(try (1...12).first { try ListedPlan.list(sample + ["--shard", "\($0)/12"]).rehearsed.isEmpty })
        let outcome = try RehearseProcess.run(["verify"] + sample + ["--shard", "\(empty)/12"])
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.stdout.contains("Nothing to rehearse: shard \(empty)/12 holds no migration"), "\(outcome.stdout)")
    }
}
