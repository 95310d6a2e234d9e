import Foundation
import RehearseCore
@testable import RehearseMongo
import Testing

@Suite(.enabled(if: MongoTestServer.shouldRun, MongoTestServer.skipReason))
struct MongoDatabaseTests {
    static let ordersSchema = """
    [
      {"createIndexes": "orders", "indexes": [{"key": {"number": 1}, "name": "idx_orders_number", "unique": true}]},
      {"collMod": "orders", "validator": {"$jsonSchema": {"bsonType": "object", "required": ["number"]}}},
      {"create": "audit"}
    ]
    """

    @Test func applyRunsCommandsInOrderAndNamesTheOneThatFailed() throws {
        try MongoTestServer.withEngine { engine in
            let database = try engine.createMongoDatabase(label: "apply")
            defer { database.drop() }
            try database.apply(mongoScript(Self.ordersSchema))
            try database.apply(mongoScript(#"[{"insert": "orders", "documents": [{"_id": 1, "number": "A-1"}, {"_id": 2, "number": "A-2"}]}]"#))

            // The duplicate key arrives as writeErrors in an ok: 1 reply; it must still fail, naming command 2.
            let path = "projects/shop/versions/v1.0.0/fixtures/mongodb/001-orders.json"
            let script = try mongoScript("""
            [
              {"insert": "orders", "documents": [{"_id": 3, "number": "A-3"}]},
              {"insert": "orders", "documents": [{"_id": 4, "number": "A-1"}]},
              {"insert": "orders", "documents": [{"_id": 5, "number": "A-5"}]}
            ]
            """, path: path, role: .fixture)
            #expect {
                try database.apply(script)
            } throws: { error in
                guard let failure = error as? ScriptFailure else { return false }
                return failure.file == path && failure.line == 3 && failure.column == 3 && failure.statementIndex == 2
                    && failure.code == "MongoDB error 11000" && failure.message.hasPrefix("insert: ")
            }
            let counted = try database.client.command(database: database.name, #"{"count": "orders"}"#)
            #expect(counted["n"]?.numericValue == 3, "stops at the failing command: 1, 2 and 3 are in, 5 is not")

            #expect {
                try database.apply(mongoScript(#"[{"aggregate": "orders", "pipeline": [{"$bogus": 1}], "cursor": {}}]"#))
            } throws: { error in
                guard let failure = error as? ScriptFailure else { return false }
                return failure.statementIndex == 1 && failure.code?.hasPrefix("MongoDB error") == true && failure.message.contains("$bogus")
            }
        }
    }

    @Test func validatorsPassWhenTheReplyContainsTheExpectation() throws {
        try MongoTestServer.withEngine { engine in
            let database = try engine.createMongoDatabase(label: "validate")
            defer { database.drop() }
            try database.apply(mongoScript(Self.ordersSchema))
            try database.apply(mongoScript(#"[{"insert": "orders", "documents": [{"_id": 1, "number": "A-1"}, {"_id": 2, "number": "A-2"}]}]"#))

            try database.validate(mongoScript("""
            [
              {"command": {"count": "orders"}, "expect": {"ok": 1, "n": {"$numberLong": "2"}}},
              {"command": {"aggregate": "orders", "pipeline": [{"$match": {"number": "A-2"}}, {"$project": {"_id": 1}}], "cursor": {}},
               "expect": {"cursor": {"firstBatch": [{"_id": 2}]}}}
            ]
            """, role: .validator))

            let path = "projects/shop/versions/v1.0.0/new-install/mongodb/validate/001-orders.json"
            #expect {
                try database.validate(mongoScript("""
                [
                  {"command": {"ping": 1}, "expect": {"ok": 1}},
                  {"command": {"count": "orders"}, "expect": {"n": 3}}
                ]
                """, path: path, role: .validator))
            } throws: { error in
                guard let failure = error as? ScriptFailure else { return false }
                return failure.file == path && failure.statementIndex == 2 && failure.line == 3 && failure.code == nil
                    && failure.message == "validator did not hold: at n: expected 3, got 2"
                    && failure.detail?.contains("expected (subset): {\"n\": 3}") == true
            }
            #expect(throws: ScriptFailure.self) {
                try database.validate(mongoScript(#"[{"command": {"aggregate": "orders", "pipeline": [{"$bogus": 1}], "cursor": {}}, "expect": {"ok": 1}}]"#, role: .validator))
            }
        }
    }

    @Test func theSnapshotDiffNamesALeftOverIndexAndCollection() throws {
        try MongoTestServer.withEngine { engine in
            let database = try engine.createMongoDatabase(label: "snapshot")
            defer { database.drop() }
            #expect(try database.snapshot().isEmpty)
            try database.apply(mongoScript(#"[{"createIndexes": "orders", "indexes": [{"key": {"number": 1}, "name": "idx_orders_number", "unique": true}]}]"#))
            let before = try database.snapshot()
            #expect(before.object(kind: "collection", name: "orders") != nil)
            #expect(before.object(kind: "index", name: "orders.idx_orders_number")?.definition == "{ number: 1 } unique")
            #expect(try database.snapshot() == before, "reading twice gives the same snapshot")

            // forward adds an index and a collection; a careless rollback leaves both behind
            try database.apply(mongoScript("""
            [
              {"createIndexes": "orders", "indexes": [{"key": {"status": 1}, "name": "idx_orders_status"}]},
              {"create": "shipments"}
            ]
            """))
            let diff = SnapshotDiff(from: before, to: try database.snapshot())
            #expect(diff.lines.contains("+ index orders.idx_orders_status { status: 1 }"))
            #expect(diff.lines.contains("+ collection shipments"))
            #expect(diff.changes.count == 2)

            // dropping by key pattern works on mongod and nx-27017 alike
            try database.apply(mongoScript(#"[{"dropIndexes": "orders", "index": {"status": 1}}, {"drop": "shipments"}]"#))
            #expect(SnapshotDiff(from: before, to: try database.snapshot()).isEmpty)
        }
    }

    @Test func theFingerprintDetectsLostAndChangedDocuments() throws {
        try MongoTestServer.withEngine { engine in
            let database = try engine.createMongoDatabase(label: "fingerprint")
            defer { database.drop() }
            try database.apply(mongoScript("""
            [{"insert": "orders", "documents": [
              {"_id": 1, "number": "A-1", "total": 10},
              {"_id": 2, "number": "A-2", "total": 20},
              {"_id": {"$oid": "65f000000000000000000003"}, "number": "A-3", "total": 30, "placedAt": {"$date": "2024-03-01T10:00:00Z"}}
            ]}]
            """))
            let before = try database.fingerprint()
            #expect(before.tables["orders"]?.rows.count == 3)
            #expect(try database.fingerprint() == before)

            try database.apply(mongoScript("""
            [
              {"delete": "orders", "deletes": [{"q": {"_id": 2}, "limit": 1}]},
              {"update": "orders", "updates": [{"q": {"_id": 1}, "u": {"$set": {"total": 10.5}}}]}
            ]
            """))
            let diff = DataDiff(from: before, to: try database.fingerprint())
            #expect(diff.tables.map(\.table) == ["orders"])
            #expect(diff.tables.first?.differingRows == 2)
            #expect(diff.text.contains("orders _id=2: row missing"))
            #expect(diff.text.contains(#"orders _id=1: total '{"$numberInt": "10"}' -> '{"$numberDouble": "10.5"}'"#))
        }
    }

    @Test func aCloneHasTheSameCollectionsIndexesAndDocuments() throws {
        try MongoTestServer.withEngine { engine in
            let original = try engine.createMongoDatabase(label: "clone_src")
            defer { original.drop() }
            try original.apply(mongoScript(Self.ordersSchema))
            let documents = (1...1200).map { #"{"_id": \#($0), "number": "N-\#($0)", "lines": [{"sku": "S\#($0 % 7)", "qty": \#($0 % 3)}]}"# }
            try original.apply(mongoScript(#"[{"insert": "orders", "documents": [\#(documents.joined(separator: ","))]}, {"insert": "audit", "documents": [{"_id": "a", "at": {"$date": "2024-01-01T00:00:00Z"}}]}]"#))

            let clone = try original.cloneDatabase(label: "clone_dst")
            defer { clone.drop() }
            #expect(clone.name != original.name)
            #expect(try clone.snapshot() == original.snapshot())
            #expect(try clone.fingerprint() == original.fingerprint())
            #expect(try clone.fingerprint().tables["orders"]?.rows.count == 1200)

            // independent: a change to the clone leaves the original alone
            try clone.apply(mongoScript(#"[{"drop": "audit"}]"#))
            #expect(try original.snapshot().object(kind: "collection", name: "audit") != nil)
        }
    }

    @Test func backupRoundTripsWithTheDatabaseToolsOrSaysTheyAreMissing() throws {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let toolsInstalled = MongoServerProgram.searchPath(path, for: "mongodump") != nil && MongoServerProgram.searchPath(path, for: "mongorestore") != nil
        try MongoTestServer.withEngine { engine in
            let database = try engine.createMongoDatabase(label: "backup")
            defer { database.drop() }
            try database.apply(mongoScript(Self.ordersSchema))
            if toolsInstalled {
                #expect(try database.backupRoundTrip() == database.snapshot())
            } else {
                #expect {
                    _ = try database.backupRoundTrip()
                } throws: { error in
                    (error as? BackupUnavailable)?.reason.contains("mongodump and mongorestore are not installed") == true
                }
            }
        }
    }
}
