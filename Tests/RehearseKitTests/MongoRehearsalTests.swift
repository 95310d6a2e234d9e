import Foundation
import Testing
import RehearseKit

/// MongoDB projects rehearsed end to end through `Rehearsal`, on the disposable server the code starts itself
/// (nx-27017 here and in CI, mongod where installed).
@Suite(.serialized) struct MongoRehearsalTests {
    static let config = "spec:\n  databases:\n    docs: {type: mongodb}\n  migration:\n    policies: {require_rollback: true}\n"
    static let createOrders = #"[{"createIndexes": "orders", "indexes": [{"key": {"number": 1}, "name": "idx_orders_number", "unique": true}]}]"#
    static let dropOrders = #"[{"drop": "orders"}]"#

    /// A one-database project: v1.0.0 creates `orders`, v1.1.0's upgrade is given by the caller.
    static func project(upgrade: String, rollback: String) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-mongo-\(UUID().uuidString)")
        let files: [String: String] = [
            "project-config.yaml": config,
            "versions/v1.0.0/new-install/mongodb/migrations/001-create-orders.json": createOrders,
            "versions/v1.0.0/new-install/mongodb/rollbacks/001-create-orders.json": dropOrders,
            "versions/v1.0.0/fixtures/mongodb/001-orders.json": #"[{"insert": "orders", "documents": [{"_id": 1, "number": "A-1", "status": "open"}, {"_id": 2, "number": "B-2", "status": "cancelled"}]}]"#,
            "versions/v1.1.0/upgrade/from-v1.0.0/migrations/001-change.json": upgrade,
            "versions/v1.1.0/upgrade/from-v1.0.0/rollbacks/001-change.json": rollback,
        ]
        for (path, contents) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    static func rehearse(_ root: URL) async throws -> SuiteReport {
        let report = try await Rehearsal(RehearsalRequest(path: root.path)).run()
        let suite = try #require(report.suites.first)
        #expect(suite.server != nil, "no MongoDB server ran")
        return suite
    }

    static func failure(_ suite: SuiteReport, _ name: String) -> String? {
        guard let failure = suite.results.first(where: { $0.name == name })?.failure else { return nil }
        let (message, details) = (failure.message, failure.details)
        return message + "\n" + details
    }

    @Test func aRollbackThatForgetsACollectionFailsReversibilityNamingIt() async throws {
        let root = try Self.project(
            upgrade: #"[{"createIndexes": "invoices", "indexes": [{"key": {"order": 1}, "name": "idx_invoices_order"}]}]"#,
            rollback: #"[{"dropIndexes": "invoices", "index": {"order": 1}}]"#
        )
        defer { try? FileManager.default.removeItem(at: root) }
        let suite = try await Self.rehearse(root)
        #expect(suite.results.filter(\.isFailure).map(\.name) == ["upgrade v1.0.0 -> v1.1.0: reversibility"])
        let failure = try #require(Self.failure(suite, "upgrade v1.0.0 -> v1.1.0: reversibility"))
        #expect(failure.contains("+ collection invoices"))
    }

    @Test func aRollbackThatLosesDocumentsFailsDataPreservation() async throws {
        let root = try Self.project(
            upgrade: #"[{"delete": "orders", "deletes": [{"q": {"status": "cancelled"}, "limit": 0}]}]"#,
            rollback: #"[{"update": "orders", "updates": [{"q": {}, "u": {"$unset": {"archived": ""}}, "multi": true}]}]"#
        )
        defer { try? FileManager.default.removeItem(at: root) }
        let suite = try await Self.rehearse(root)
        let failed = suite.results.filter(\.isFailure).map(\.name)
        #expect(failed.contains("upgrade v1.0.0 -> v1.1.0: data-preservation"))
        let failure = try #require(Self.failure(suite, "upgrade v1.0.0 -> v1.1.0: data-preservation"))
        #expect(failure.contains("orders"))
        #expect(failure.contains("_id=2"))
    }
}
