@testable import RehearseMongo
import Testing

@Suite struct MongoSnapshotRenderingTests {
    private func json(_ text: String) throws -> JSONValue { try ExtendedJSONScanner.parse(text) }

    @Test func indexDefinitionsReadLikeTheShell() throws {
        #expect(MongoDatabase.indexDefinition(try json(#"{"v": 2, "key": {"number": 1}, "name": "idx_orders_number", "unique": true}"#)) == "{ number: 1 } unique")
        #expect(MongoDatabase.indexDefinition(try json(#"{"v": 2, "key": {"status": 1, "placedAt": -1}, "name": "s", "sparse": true, "expireAfterSeconds": 3600}"#))
            == "{ status: 1, placedAt: -1 } sparse ttl 3600s")
        #expect(MongoDatabase.indexDefinition(try json(#"{"key": {"a.b": 1}, "name": "p", "partialFilterExpression": {"z": {"$exists": true}, "a": {"$gt": 1}}, "hidden": true}"#))
            == #"{ "a.b": 1 } partial { a: { $gt: 1 }, z: { $exists: true } } hidden true"#)
    }

    @Test func keyOrderOfOptionsDoesNotMatterButIndexKeyOrderDoes() throws {
        let a = MongoDatabase.indexDefinition(try json(#"{"key": {"a": 1, "b": 1}, "collation": {"locale": "en", "strength": 2}}"#))
        let b = MongoDatabase.indexDefinition(try json(#"{"key": {"a": 1, "b": 1}, "collation": {"strength": 2, "locale": "en"}}"#))
        let c = MongoDatabase.indexDefinition(try json(#"{"key": {"b": 1, "a": 1}, "collation": {"strength": 2, "locale": "en"}}"#))
        #expect(a == b)
        #expect(a != c)
    }

    @Test func collectionOptionsAreOneLineEachAndLongValidatorsAreIndented() throws {
        let options = try json(#"{"validationAction": "error", "validator": {"$jsonSchema": {"required": ["number", "status", "customerId"], "bsonType": "object", "properties": {"number": {"bsonType": "string"}}}}, "validationLevel": "strict"}"#)
        let definition = MongoDatabase.collectionDefinition(.init(name: "orders", type: "collection", options: options.members!))
        #expect(definition == """
        validationLevel: "strict"
        validationAction: "error"
        validator:
          {
            $jsonSchema: {
              bsonType: "object",
              properties: { number: { bsonType: "string" } },
              required: [ "number", "status", "customerId" ]
            }
          }
        """)
        #expect(MongoDatabase.collectionDefinition(.init(name: "plain", type: "collection", options: [])) == "")
        let capped = try json(#"{"max": 10, "size": 4096, "capped": true}"#)
        #expect(MongoDatabase.collectionDefinition(.init(name: "log", type: "collection", options: capped.members!)) == "capped: true\nsize: 4096\nmax: 10")
    }

    @Test func documentsBecomeRowsKeyedByID() throws {
        let row = MongoDatabase.row(try json(#"{"_id": {"$oid": "65f000000000000000000001"}, "n": {"$numberInt": "1"}, "tags": ["a"]}"#))
        #expect(row.key == "_id=ObjectId(65f000000000000000000001)")
        #expect(row.columns == ["_id", "n", "tags"])
        #expect(row.values[1] == #"{"$numberInt": "1"}"#)
        #expect(MongoDatabase.row(try json(#"{"_id": {"$numberInt": "42"}}"#)).key == "_id=42")
        #expect(MongoDatabase.row(try json(#"{"_id": "A-1"}"#)).key == #"_id="A-1""#)
    }

    @Test func scratchDatabaseNamesFitMongoDBRules() {
        let name = MongoEngine.databaseName(label: "upgrade_1.0.0_1.1.0_validate with a very long label that goes on and on")
        #expect(name.hasPrefix("rehearse_upgrade_1_0_0_1_1_0_validate"))
        #expect(name.count <= 63)
        #expect(!name.contains("."))
        #expect(name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        #expect(MongoEngine.databaseName(label: "x") != MongoEngine.databaseName(label: "x"))
    }
}
