import Foundation
import Testing

/// `rehearse list --json`: the plan as a versioned document, without any server.
@Suite struct ListJSONTests {
    @Test func thePlanOfTheSamplesAsJSON() throws {
        let plan = try ListedPlan.list(["sample-migrations"])
        #expect(plan.formatVersion == 1)
        #expect(plan.layout == "primary")
        #expect(plan.checkCount == plan.suites.reduce(0) { $0 + $1.checkCount })
        #expect(plan.checkCount == plan.testCases.count)
        let text = try RehearseProcess.run(["list", "sample-migrations"])
        #expect(text.stdout.contains("\(plan.checkCount) checks in \(plan.suites.count) suites"))
        for suite in plan.suites {
            #expect(suite.checkCount == (suite.policy == nil ? 0 : 1) + suite.subjects.reduce(0) { $0 + $1.checks.count })
            for check in suite.subjects.flatMap(\.checks) + [suite.policy].compactMap({ $0 }) {
                #expect(["run", "skip"].contains(check.status))
                #expect((check.status == "skip") == (check.reason != nil), "\(check.name)")
            }
        }
        let drift = try #require(plan.suites.first { $0.name == "broken-install-drift/postgresql" })
        let upgrade = try #require(drift.subjects.first { $0.id == "upgrade v1.0.0 -> v1.1.0" })
        #expect(upgrade.checks.contains { $0.name == "upgrade v1.0.0 -> v1.1.0: equivalence" && $0.status == "run" })
    }

    @Test func filesStartsAndForwardOnlySubjects() throws {
        let outcome = try RehearseProcess.run(["list", "--json", "sample-migrations", "--project", "e-commerce", "--database", "postgresql", "--shard", "3/3"])
        #expect(outcome.status == 0, "\(outcome.output)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        #expect((document["shard"] as? [String: Int]) == ["index": 3, "count": 3])
        #expect(document["changedSince"] is NSNull)
        let suite = try #require((document["suites"] as? [[String: Any]])?.first)
        #expect(suite["displayPath"] as? String == "sample-migrations/projects/e-commerce")
        #expect(suite["chain"] as? Bool == false)
        let subjects = try #require(suite["subjects"] as? [[String: Any]])
        let last = try #require(subjects.last)
        #expect(last["id"] as? String == "upgrade v1.1.0 -> v2.0.0")
        #expect(last["rehearsed"] as? Bool == true)
        #expect((last["start"] as? [String: Any])?["kind"] as? String == "subject")
        #expect((last["start"] as? [String: Any])?["subject"] as? String == "install v1.1.0")
        let forward = try #require(last["forward"] as? [[String: Any]])
        #expect(forward.allSatisfy { $0["execution"] as? String == "autocommit" && ($0["path"] as? String ?? "").hasSuffix(".sql") })
        #expect(!((last["undo"] as? [[String: Any]]) ?? []).isEmpty)
        #expect(last["undoMissing"] is NSNull)
        // What the last shard's upgrade starts from and compares with is applied forward only, with no checks.
        let forwardOnly = subjects.filter { $0["rehearsed"] as? Bool == false }
        #expect(!forwardOnly.isEmpty)
        #expect(forwardOnly.allSatisfy { ($0["checks"] as? [Any])?.isEmpty == true })
    }
}
