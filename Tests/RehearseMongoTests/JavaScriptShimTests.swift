import Foundation
import RehearseCore
@testable import RehearseMongo
import Testing

/// The shim's BSON conversions, run under Node.js without a server: what a migration's values become on the wire,
/// and what replies become in the migration, as the Node driver converts them.
@Suite struct JavaScriptShimTests {
    /// Runs `script` with `bson` bound to the shim's bson.js and returns what it printed.
    func node(_ script: String) throws -> String {
        let program = try NodeProgram.find()
        let bsonPath = try NodeProgram.shimDirectory().appendingPathComponent("bson.js").path
        let source = "const bson = require(\(JSONValue.quoted(bsonPath)));\n" + script
        let outcome = try ExternalCommand(executable: program.executable, arguments: ["-e", source], timeout: 60).run()
        #expect(outcome.status == 0, "\(outcome.output)")
        return outcome.output
    }

    @Test func valuesBecomeCanonicalExtendedJSONAsTheDriverSendsThem() throws {
        let printed = try node("""
        const { toExtendedJSON: e } = bson;
        console.log(JSON.stringify([
          e(1), e(-0), e(2147483648), e(1.5), e(NaN), e(-Infinity), e(12n),
          e(bson.Long.fromString('-9223372036854775808')), e(new bson.Int32(3.7)), e(new bson.Double(2)),
          e(bson.Decimal128.fromString('19.99')), e(new Date(1000)), e(new bson.Binary(Buffer.from([1, 2]), 5)),
          e(new bson.Timestamp({ t: 7, i: 9 })), e(/ab+c/gim), e(new bson.ObjectId('65F000000000000000000001')),
          e(new bson.MinKey()), e({ a: undefined, f() {}, b: [undefined, null] }),
        ]));
        """)
        let expected = #"[{"$numberInt":"1"},{"$numberDouble":"-0.0"},{"$numberDouble":"2147483648.0"},{"$numberDouble":"1.5"},"#
            + #"{"$numberDouble":"NaN"},{"$numberDouble":"-Infinity"},{"$numberLong":"12"},{"$numberLong":"-9223372036854775808"},"#
            + #"{"$numberInt":"3"},{"$numberDouble":"2.0"},{"$numberDecimal":"19.99"},{"$date":{"$numberLong":"1000"}},"#
            + #"{"$binary":{"base64":"AQI=","subType":"05"}},{"$timestamp":{"t":7,"i":9}},"#
            + #"{"$regularExpression":{"pattern":"ab+c","options":"im"}},{"$oid":"65f000000000000000000001"},{"$minKey":1},"#
            + #"{"a":null,"b":[null,null]}]"#
        #expect(printed == expected)
        // libbson reads every one of them.
        #expect(BSONDocument.validationError(json: #"{"v": \#(printed)}"#) == nil)
    }

    @Test func repliesBecomeTheValuesTheDriverReturns() throws {
        let printed = try node(#"""
        const v = bson.fromExtendedJSON(JSON.parse(process.argv[1] || '{}'));
        const reply = bson.fromExtendedJSON({
          small: { $numberLong: '42' }, big: { $numberLong: '9007199254740993' }, int: { $numberInt: '-5' },
          double: { $numberDouble: '-0.0' }, id: { $oid: '65f000000000000000000001' }, when: { $date: { $numberLong: '86400000' } },
          bin: { $binary: { base64: 'aGk=', subType: '00' } }, re: { $regularExpression: { pattern: '^a', options: 'i' } },
          wide: { $regularExpression: { pattern: 'a b', options: 'x' } }, dec: { $numberDecimal: '1.10' },
          query: { $jsonSchema: { required: ['a'] } }, list: [{ $numberInt: '1' }],
        });
        console.log([
          typeof reply.small, reply.small, reply.big instanceof bson.Long, reply.big.toString(), reply.int, Object.is(reply.double, -0),
          reply.id instanceof bson.ObjectId, reply.id.toHexString(), reply.when.toISOString(), reply.bin.buffer.toString(),
          reply.re instanceof RegExp, reply.re.flags, reply.wide instanceof bson.BSONRegExp, reply.dec.toString(),
          JSON.stringify(reply.query), reply.list[0],
        ].join('|'));
        const a = new bson.ObjectId(), b = new bson.ObjectId();
        console.log([a.toHexString().length, a.equals(b), a.equals(a.toHexString()), bson.ObjectId.isValid('xyz'),
          Math.abs(a.getTimestamp() - Date.now()) < 5000].join('|'));
        """#)
        let lines = printed.split(separator: "\n").map(String.init)
        #expect(lines.first == #"number|42|true|9007199254740993|-5|true|true|65f000000000000000000001|1970-01-02T00:00:00.000Z|hi|true|i|true|1.10|{"$jsonSchema":{"required":["a"]}}|1"#)
        #expect(lines.last == "24|false|true|false|true")
    }
}
