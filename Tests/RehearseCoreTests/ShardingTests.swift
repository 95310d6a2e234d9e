import Foundation
import Testing
@testable import RehearseCore

/// `--shard I/N`: a deterministic split into disjoint parts whose union is the whole run.
@Suite struct ShardingTests {
    static func plan(_ suites: [RehearsalSuite]) -> RehearsalPlan {
        RehearsalPlan(suites: suites.map { RehearsalPlan.plan($0, scripts: PreparedScripts(), options: RehearsalOptions()) })
    }

    /// Every test case name the plan reports, `suite/subject: check`.
    static func testCases(_ plan: RehearsalPlan) -> [String] {
        plan.suites.flatMap { suite in
            (suite.suite.reportsPolicy ? ["\(suite.name)/project: policy"] : [])
                + suite.subjects.flatMap { subject in subject.checks.map { "\(suite.name)/\(subject.id): \($0.check.rawValue)" } }
        }
    }

    static func shards(_ plan: RehearsalPlan, count: Int) throws -> [RehearsalPlan] {
        try (1...count).map { index in Self.plan(try Sharding(index: index, count: count).suites(of: plan)) }
    }

    static func mixedPlan() throws -> RehearsalPlan {
        let repository = try NarrowingFixtures.primaryRepository()
        defer { repository.remove() }
        let primary = try NarrowingFixtures.load(repository).suites
        return plan(primary + [try NarrowingFixtures.chain(7)])
    }

    @Test func parsesIOverNAndRejectsAnythingElseNamingItsSource() throws {
        let shard = try Sharding(parsing: "2/3")
        #expect(shard.index == 2 && shard.count == 3)
        #expect(shard.description == "2/3")
        for bad in ["0/3", "4/3", "1/0", "-1/2", "a/b", "3", "", "1/2/3", "1 /2x"] {
            #expect(throws: InputError.self, "\(bad)") { _ = try Sharding(parsing: bad, source: "REHEARSE_SHARD") }
        }
        do {
            _ = try Sharding(parsing: "4/3", source: "REHEARSE_SHARD")
        } catch let error as InputError {
            #expect(error.file == "REHEARSE_SHARD")
            #expect(error.message.contains("1 ≤ I ≤ N"))
        }
    }

    @Test(arguments: [1, 2, 3, 4, 7, 40])
    func shardsAreDisjointAndTogetherTheWholeRun(count: Int) throws {
        let whole = try Self.mixedPlan()
        let parts = try Self.shards(whole, count: count)
        let cases = parts.map(Self.testCases)
        #expect(cases.flatMap { $0 }.sorted() == Self.testCases(whole).sorted())
        #expect(Set(cases.flatMap { $0 }).count == cases.reduce(0) { $0 + $1.count }, "a test case is in two shards")
        #expect(parts.reduce(0) { $0 + $1.checkCount } == whole.checkCount)
        // The same split every time.
        #expect(try Self.shards(whole, count: count).map(Self.testCases) == cases)
    }

    @Test(arguments: [2, 3, 5])
    func everyShardHoldsWhatItsSubjectsStartFromOrCompareWith(count: Int) throws {
        for part in try Self.shards(try Self.mixedPlan(), count: count) {
            for suite in part.suites {
                let present = Set(suite.suite.subjects.map(\.id))
                for subject in suite.suite.subjects {
                    if case let .resultOf(start) = subject.start { #expect(present.contains(start), "\(subject.id) lacks \(start)") }
                    if case let .subject(target, _) = subject.equivalence { #expect(present.contains(target), "\(subject.id) lacks \(target)") }
                }
            }
        }
    }

    @Test func aChainIsCutIntoContiguousRangesReplayingOnlyTheStepsBefore() throws {
        let whole = Self.plan([try NarrowingFixtures.chain(10)])
        for (offset, part) in try Self.shards(whole, count: 3).enumerated() {
            let suite = try #require(part.suites.first)
            let ids = suite.suite.subjects.map(\.id.description)
            // A prefix of the chain: nothing after the shard's last step is applied.
            #expect(ids == Array(whole.suites[0].suite.subjects.prefix(ids.count).map(\.id.description)))
            let flags = suite.suite.subjects.map(\.rehearsed)
            #expect(flags == flags.sorted { !$0 && $1 }, "forward-only steps come first, then one range: \(flags)")
            #expect(suite.suite.reportsPolicy == (offset == 0))
        }
    }

    @Test func partsAreBalancedByTheChecksThatRun() throws {
        // Ten steps of seven checks each (idempotence skipped: each runs in one transaction).
        let whole = Self.plan([try NarrowingFixtures.chain(10)])
        let parts = try Self.shards(whole, count: 2)
        #expect(parts.map { $0.suites[0].suite.subjects.filter(\.rehearsed).count } == [5, 5])
        let three = try Self.shards(whole, count: 3).map { $0.suites[0].suite.subjects.filter(\.rehearsed).count }
        #expect(three.reduce(0, +) == 10 && three.allSatisfy { (3...4).contains($0) }, "\(three)")
    }

    @Test func moreShardsThanSubjectsLeavesSomeEmptyAndThePolicyInTheFirstSubjectsShard() throws {
        let whole = Self.plan([try NarrowingFixtures.chain(2)])
        let parts = try Self.shards(whole, count: 5)
        #expect(parts.map { $0.suites.count } .reduce(0, +) == 2)
        #expect(parts.filter { $0.suites.contains { $0.suite.reportsPolicy } }.count == 1)
        #expect(parts.map(\.checkCount).reduce(0, +) == whole.checkCount)
    }

    @Test func aSuiteWithNothingRehearsedReportsItsPolicyInShardOne() throws {
        var unchanged = try NarrowingFixtures.chain(3)
        unchanged.subjects = []
        let whole = Self.plan([try NarrowingFixtures.chain(4), unchanged])
        let parts = try Self.shards(whole, count: 3)
        let owners = parts.enumerated().filter { $0.element.suites.contains { $0.suite.subjects.isEmpty && $0.suite.reportsPolicy } }.map(\.offset)
        #expect(owners == [0])
    }

    @Test func anEquivalenceTargetInAnotherShardIsKeptForwardOnly() throws {
        let whole = try Self.mixedPlan()
        let shop = try #require(whole.suites.first { $0.suite.name == "shop" })
        var sawForwardOnlyTarget = false
        for part in try Self.shards(whole, count: 4) {
            guard let suite = part.suites.first(where: { $0.suite.name == "shop" }) else { continue }
            for subject in suite.suite.subjects where subject.rehearsed {
                guard case let .subject(target, _) = subject.equivalence, let kept = suite.suite.subject(target) else { continue }
                if !kept.rehearsed { sawForwardOnlyTarget = true }
                #expect(suite.subjects.first { $0.id == target }?.checks.isEmpty == !kept.rehearsed)
            }
        }
        #expect(sawForwardOnlyTarget, "the sample should put an upgrade and its fresh install in different shards: \(shop.subjects.map(\.id))")
    }
}
