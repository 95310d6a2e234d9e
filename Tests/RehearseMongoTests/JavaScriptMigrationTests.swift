import Foundation
import RehearseCore
@testable import RehearseMongo
import Testing

/// JavaScript migrations under Node.js through the shim, on a disposable server (nx-27017 here, mongod where found).
@Suite(.enabled(if: MongoTestServer.shouldRun, MongoTestServer.skipReason))
struct JavaScriptMigrationTests {
    /// The strategy document's style: a version check, a session with withTransaction, a $jsonSchema validator,
    /// a unique index, and a `down` that undoes it.
    static let ordersMigration = """
    const { ObjectId } = require('mongodb');

    module.exports = {
      async up(db, client) {
        const session = client.startSession();
        try {
          await session.withTransaction(async () => {
            const meta = await db.collection('project_metadata').findOne({ project_name: 'shop' }, { session });
            if (!['v1.0.0'].includes(meta?.project_version)) {
              throw new Error(`Cannot upgrade from ${meta?.project_version} to v1.1.0`);
            }
            await db.createCollection('orders', {
              validator: { $jsonSchema: { bsonType: 'object', required: ['order_number'] } },
              session,
            });
            const orders = db.collection('orders');
            await orders.createIndex({ order_number: 1 }, { unique: true, session });
            await orders.insertOne({ _id: new ObjectId('65f000000000000000000001'), order_number: 'A-1' }, { session });
            await db.collection('project_metadata').updateOne(
              { project_name: 'shop' }, { $set: { project_version: 'v1.1.0', updated_at: new Date(0) } }, { session });
          });
        } finally {
          await session.endSession();
        }
      },

      async down(db, client) {
        await db.collection('orders').drop();
        await db.collection('project_metadata').updateOne({ project_name: 'shop' }, { $set: { project_version: 'v1.0.0' } });
      },
    };
    """

    static let seedMetadata = """
    module.exports = {
      async up(db) {
        await db.collection('project_metadata').insertOne({ _id: 1, project_name: 'shop', project_version: 'v1.0.0' });
      },
      async down(db) {
        await db.collection('project_metadata').drop();
      },
    };
    """

    @Test func upAndDownRunAsMigrateMongoCallsThem() throws {
        let folder = try JavaScriptFolder()
        let seed = try folder.migration("000-seed.js", Self.seedMetadata)
        let file = try folder.migration("001-create-orders.js", Self.ordersMigration)
        try MongoTestServer.withEngine { engine in
            let database = try engine.createMongoDatabase(label: "js_updown")
            defer { database.drop() }
            try database.apply(PreparedScript(file: seed, statements: []))
            let before = try database.snapshot()

            let outcome = try database.runJavaScript(file)
            #expect(outcome.commands >= 5)
            let snapshot = try database.snapshot()
            #expect(snapshot.objects.contains { $0.kind == "collection" && $0.name == "orders" })
            let index = try #require(snapshot.objects.first { $0.kind == "index" && $0.name.hasPrefix("orders.") })
            #expect(index.definition.contains("order_number") && index.definition.contains("unique"))
            let meta = try database.documents("project_metadata")
            #expect(meta.first?["project_version"]?.stringValue == "v1.1.0")
            #expect(try database.documents("orders").first?["order_number"]?.stringValue == "A-1")
            if !engine.supportsTransactions {
                #expect(outcome.ranWithoutTransaction)
                #expect(engine.serverInfo.limitations.contains { $0.contains("not atomic") && $0.contains("migrations/001-create-orders.js") })
            }

            try database.apply(PreparedScript(file: file.with(entry: "down", role: .undo), statements: []))
            #expect(SnapshotDiff(from: before, to: try database.snapshot(), strictColumnOrder: true).isEmpty)
            #expect(try database.documents("project_metadata").first?["project_version"]?.stringValue == "v1.0.0")
        }
    }

    /// One migration calling most of the shim's API; it checks the replies itself (`assert`) and leaves data
    /// whose BSON types the test reads back in canonical Extended JSON. (nx-27017 stores no Decimal128,
    /// Timestamp or regular expression values: their encoding is tested without a server, in ``JavaScriptShimTests``.)
    static let apiTour = """
    const assert = require('assert');
    const { Long, Int32, Double, Binary, Decimal128, UUID } = require('mongodb');

    module.exports = {
      async up(db, client) {
        assert.strictEqual(client.db('whatever-production-name').databaseName, db.databaseName);
        const items = db.collection('items');
        const many = await items.insertMany(Array.from({ length: 7 }, (_, i) => ({ _id: i + 1, n: i + 1, kind: i % 2 ? 'odd' : 'even' })));
        assert.strictEqual(many.insertedCount, 7);
        const all = await items.find({}, { batchSize: 2 }).sort({ _id: 1 }).toArray();
        assert.deepStrictEqual(all.map(d => d._id), [1, 2, 3, 4, 5, 6, 7]);
        assert.strictEqual(await items.countDocuments({ kind: 'odd' }), 3);
        assert.strictEqual(await items.countDocuments({ kind: 'none' }), 0);
        const grouped = await items.aggregate([{ $match: { kind: 'even' } }, { $group: { _id: '$kind', total: { $sum: '$n' } } }]).toArray();
        assert.deepStrictEqual(grouped, [{ _id: 'even', total: 16 }]);
        const updated = await items.updateMany({ kind: 'odd' }, { $set: { odd: true } });
        assert.strictEqual(updated.matchedCount, 3);
        assert.strictEqual(updated.modifiedCount, 3);
        const upserted = await items.updateOne({ _id: 100 }, { $set: { n: 100 } }, { upsert: true });
        assert.strictEqual(upserted.upsertedId, 100);
        await items.replaceOne({ _id: 100 }, { n: 101, replaced: true });
        assert.strictEqual((await items.findOne({ _id: 100 })).n, 101);
        assert.strictEqual((await items.deleteOne({ _id: 100 })).deletedCount, 1);
        assert.strictEqual((await items.deleteMany({ n: { $gt: 6 } })).deletedCount, 1);
        await assert.rejects(items.updateOne({ _id: 1 }, { n: 2 }), /atomic operators/);
        const bulk = await items.bulkWrite([
          { insertOne: { document: { _id: 50, n: 50 } } },
          { updateOne: { filter: { _id: 1 }, update: { $set: { first: true } } } },
          { deleteOne: { filter: { _id: 2 } } },
        ]);
        assert.strictEqual(bulk.insertedCount, 1);
        assert.strictEqual(bulk.modifiedCount, 1);
        assert.strictEqual(bulk.deletedCount, 1);
        const names = await items.createIndexes([{ key: { kind: 1, n: -1 } }, { key: { n: 1 }, name: 'by_n', unique: true }]);
        assert.deepStrictEqual(names, ['kind_1_n_-1', 'by_n']);
        assert.strictEqual(await items.createIndex('kind'), 'kind_1');
        assert.ok((await items.indexes()).length >= 3);
        await items.dropIndex('kind_1');
        const listed = await db.listCollections({ name: 'items' }).toArray();
        assert.deepStrictEqual(listed.map(c => c.name), ['items']);
        assert.strictEqual((await db.command({ ping: 1 })).ok, 1);
        for await (const doc of items.find({ _id: { $lte: 3 } })) assert.ok(doc.n <= 3);
        await db.collection('types').insertOne({
          _id: 'types',
          int: 5, double: 1.5, bigint: 9007199254740993n, long: Long.fromString('42'), int32: new Int32(7),
          wholeDouble: new Double(3), date: new Date(86400000), binary: new Binary(Buffer.from('hi')),
          uuid: new UUID('0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f0'),
          nothing: null, skipped: undefined,
        });
        assert.ok(Decimal128.fromString('19.99').toString() === '19.99');
        const back = await db.collection('types').findOne({ _id: 'types' });
        assert.strictEqual(back.long, 42);
        assert.strictEqual(typeof back.bigint, 'object');
        assert.strictEqual(back.bigint.toString(), '9007199254740993');
        assert.ok(back.date instanceof Date && back.date.getTime() === 86400000);
        assert.strictEqual(back.binary.buffer.toString(), 'hi');
        assert.strictEqual(back.skipped, null);
        console.log('tour done');
      },
      async down(db) {
        await db.collection('items').drop();
        await db.collection('types').drop();
      },
    };
    """

    @Test func theShimCoversTheDriverAPIMigrationsUse() throws {
        let folder = try JavaScriptFolder()
        let file = try folder.migration("002-tour.js", Self.apiTour)
        try MongoTestServer.withEngine { engine in
            let database = try engine.createMongoDatabase(label: "js_tour")
            defer { database.drop() }
            try database.runJavaScript(file)
            let ids = try database.documents("items").compactMap { $0["_id"]?.integerValue }
            #expect(ids.sorted() == [1, 3, 4, 5, 6, 50], "got \(ids)")
            let types = try #require(try database.canonicalDocuments("types").first)
            #expect(types["int"] == .object([JSONMember(key: "$numberInt", value: .string("5"))]))
            #expect(types["double"] == .object([JSONMember(key: "$numberDouble", value: .string("1.5"))]))
            #expect(types["bigint"] == .object([JSONMember(key: "$numberLong", value: .string("9007199254740993"))]))
            // nx-27017 keeps neither int64 nor binary subtypes apart; mongod does.
            if !engine.isNX27017 {
                #expect(types["long"] == .object([JSONMember(key: "$numberLong", value: .string("42"))]))
                #expect(types["uuid"]?["$binary"]?["subType"]?.stringValue == "04")
            }
            #expect(types["int32"] == .object([JSONMember(key: "$numberInt", value: .string("7"))]))
            #expect(types["wholeDouble"] == .object([JSONMember(key: "$numberDouble", value: .string("3.0"))]))
            #expect(types["date"]?["$date"]?["$numberLong"]?.stringValue == "86400000")
            #expect(types["binary"]?["$binary"]?["base64"]?.stringValue == "aGk=")
            #expect(types["nothing"] == .null)
            #expect(types["skipped"] == .null, "undefined is stored as null, as the driver does by default")
        }
    }

    @Test func aMigrationCannotReachBeyondItsScratchDatabase() throws {
        let folder = try JavaScriptFolder()
        let file = try folder.migration("003-escape.js", #"""
        const assert = require('assert');
        module.exports = {
          async up(db, client) {
            await db.collection('a').insertOne({ _id: 1 });
            await assert.rejects(db.collection('a').aggregate([{ $out: { db: 'elsewhere', coll: 'x' } }]).toArray(), /leaves the scratch database/);
            await assert.rejects(db.admin().command({ dropDatabase: 1 }), /not rehearsed/);
            await assert.rejects(db.command({ find: 'a', $db: 'elsewhere' }), /\$db/);
            assert.strictEqual((await db.admin().ping()).ok, 1);
          },
          async down() {},
        };
        """#)
        try MongoTestServer.withEngine { engine in
            let database = try engine.createMongoDatabase(label: "js_escape")
            defer { database.drop() }
            try database.runJavaScript(file)
        }
    }

    /// The libmongoc session plumbing behind real transactions: a command run in a session reaches the server.
    /// (A transaction itself needs a replica set, which this suite does not start.)
    @Test func commandsRunInALibmongocSession() throws {
        try MongoTestServer.withEngine { engine in
            let database = try engine.createMongoDatabase(label: "js_session")
            defer { database.drop() }
            let session = try MongoSession(client: database.client)
            let command = try BSONDocument(json: #"{"insert": "s", "documents": [{"_id": 1}]}"#)
            let result = session.run(database: database.name, command: command)
            #expect(result.error == nil, "\(String(describing: result.error))")
            #expect(result.reply?.contains("\"n\"") == true)
            session.end()
            session.end()
            #expect(session.run(database: database.name, command: command).error?.message == "the session has ended")
            #expect(try database.documents("s").count == 1)
            #expect(engine.supportsTransactions == false || engine.serverInfo.product == "mongod")
        }
    }
}

