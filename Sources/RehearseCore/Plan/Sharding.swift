import Foundation

/// One part of a run split for CI matrix jobs (`--shard I/N`, `REHEARSE_SHARD`; DESIGN.md, "Command line").
///
/// The rehearsed subjects of the whole run, in plan order, are cut into `count` contiguous ranges of about the
/// same number of checks that will run. So the split is deterministic, the parts are disjoint and together
/// they are the whole run, and a chain's part of a shard is one contiguous range of steps. A shard applies
/// forward only what its subjects need (a chain's earlier steps, an upgrade's old version, the fresh install
/// its `equivalence` compares with) and leaves out the rest. Each suite's `project: policy` test case belongs
/// to the shard of the suite's first rehearsed subject, or to shard 1 when it has none.
public struct Sharding: Sendable, Equatable, CustomStringConvertible {
    /// 1-based.
    public let index: Int
    public let count: Int

    /// - Throws: ``InputError`` naming `source` unless 1 ≤ index ≤ count.
    public init(index: Int, count: Int, source: String = "--shard") throws {
        guard count >= 1, index >= 1, index <= count else {
            throw InputError(file: source, "`\(index)/\(count)` is not a shard: expected I/N with 1 ≤ I ≤ N")
        }
        self.index = index
        self.count = count
    }

    /// Reads `I/N` (`2/3`).
    ///
    /// - Throws: ``InputError`` naming `source` (the flag or variable it came from) for anything else.
    public init(parsing text: String, source: String = "--shard") throws {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw InputError(file: source, "`\(text)` is not a shard: expected I/N with 1 ≤ I ≤ N, e.g. 2/3")
        }
        try self.init(index: index, count: count, source: source)
    }

    public var description: String { "\(index)/\(count)" }

    /// The suites of this shard, cut from the whole run's plan (whose planned checks weigh each subject).
    ///
    /// A suite with nothing in this shard is left out, unless this shard reports its policy check.
    public func suites(of plan: RehearsalPlan) -> [RehearsalSuite] {
        let items = plan.suites.indices.flatMap { suite in
            plan.suites[suite].subjects.filter(\.subject.rehearsed).map { (suite: suite, id: $0.id, weight: max(1, $0.checks.filter(\.willRun).count)) }
        }
        let total = items.reduce(0) { $0 + $1.weight }
        var mine: [Int: Set<MigrationSubject>] = [:]
        var policyShard: [Int: Int] = [:]
        var before = 0
        for item in items {
            // The shard whose share of the total holds the item's midpoint: monotone in plan order, so contiguous.
            let shard = min(count, (2 * before + item.weight) * count / (2 * total)) + 1
            before += item.weight
            if policyShard[item.suite] == nil { policyShard[item.suite] = shard }
            if shard == index { mine[item.suite, default: []].insert(item.id) }
        }
        return plan.suites.indices.compactMap { position in
            let reportsPolicy = (policyShard[position] ?? 1) == index
            let ids = mine[position] ?? []
            guard reportsPolicy || !ids.isEmpty else { return nil }
            var suite = plan.suites[position].suite.keeping(ids)
            suite.reportsPolicy = reportsPolicy && plan.suites[position].suite.reportsPolicy
            return suite
        }
    }
}
