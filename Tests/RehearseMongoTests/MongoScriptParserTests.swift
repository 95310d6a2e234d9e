import Foundation
import RehearseCore
@testable import RehearseMongo
import Testing

@Suite struct MongoScriptParserTests {
    let parser = MongoScriptParser()

    @Test func eachArrayElementIsOneCommandWithItsPosition() throws {
        let text = """
        [
          {"create": "orders"},
          {"createIndexes": "orders",
           "indexes": [{"key": {"number": 1}, "name": "idx_orders_number", "unique": true}]},   {"insert": "orders", "documents": [{"_id": {"$oid": "65f000000000000000000001"}, "at": {"$date": "2024-01-02T00:00:00Z"}}]}
        ]
        """
        let statements = try parser.statements(in: text, file: "m/001-orders.json", validator: false)
        #expect(statements.count == 3)
        #expect(statements[0] == ScriptStatement(text: #"{"create": "orders"}"#, line: 2, column: 3))
        #expect(statements[1].line == 3)
        #expect(statements[1].column == 3)
        #expect(statements[1].text.hasPrefix(#"{"createIndexes": "orders","#))
        #expect(statements[1].text.hasSuffix(#""unique": true}]}"#))
        #expect(statements[2].line == 4)
        #expect(statements[2].column == 89)
        #expect(statements[2].expectation == nil)
    }

    @Test func anEmptyArrayHasNoCommands() throws {
        #expect(try parser.statements(in: "[ ]\n", file: "x.json", validator: false).isEmpty)
    }

    @Test(arguments: [
        ("[\n  {\"create\": \"orders\"}\n  {\"drop\": \"orders\"}\n]", 3, 3, "expected ',' or ']'"),
        ("[{\"create\": \"orders\",}]", 1, 22, "trailing comma"),
        ("[{create: \"orders\"}]", 1, 3, "keys must be quoted"),
        ("[{\"create\": 'orders'}]", 1, 13, "double quotes"),
        ("[{\"create\": \"orders\"}", 1, 22, "expected ',' or ']'"),
        ("// comment\n[]", 1, 1, "no comments"),
        ("", 1, 1, "empty"),
        ("{\"create\": \"orders\"}", 1, 1, "expected a JSON array"),
        ("[{\"a\": \"x\ny\"}]", 1, 8, "unterminated string"),
        ("[{\"a\": 01}]", 1, 9, "leading zeros"),
        ("[{\"create\": \"orders\"}] x", 1, 24, "after the end"),
    ])
    func malformedJSONIsAnInputErrorWithLineAndColumn(text: String, line: Int, column: Int, message: String) {
        #expect {
            _ = try parser.statements(in: text, file: "v/001-bad.json", validator: false)
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.file == "v/001-bad.json" && error.line == line && error.column == column && error.message.contains(message)
        }
    }

    @Test func aColumnCountsUnicodeScalars() {
        #expect {
            _ = try parser.statements(in: "[{\"name\": \"Zoë\" \"x\": 1}]", file: "f.json", validator: false)
        } throws: { error in
            (error as? InputError)?.column == 17
        }
    }

    @Test func extendedJSONThatLibbsonRejectsNamesTheElement() {
        let text = "[\n  {\"create\": \"orders\"},\n  {\"insert\": \"orders\", \"documents\": [{\"_id\": {\"$oid\": \"not-an-object-id\"}}]}\n]"
        #expect {
            _ = try parser.statements(in: text, file: "m/002-seed.json", validator: false)
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.line == 3 && error.column == 3 && error.message.contains("element 2") && error.message.contains("Extended JSON")
        }
    }

    @Test func aCommandMustBeANonEmptyDocument() {
        #expect(throws: InputError.self) { try parser.statements(in: #"["create"]"#, file: "f.json", validator: false) }
        #expect(throws: InputError.self) { try parser.statements(in: #"[{}]"#, file: "f.json", validator: false) }
        #expect(throws: InputError.self) { try parser.statements(in: #"[{"$set": {"a": 1}}]"#, file: "f.json", validator: false) }
    }

    @Test func validatorsCarryTheirExpectation() throws {
        let text = """
        [
          {"command": {"count": "orders"}, "expect": {"ok": 1, "n": {"$numberLong": "2"}}},
          {"command": {"listIndexes": "orders"}, "expect": {"cursor": {"firstBatch": [{"name": "_id_"}]}}}
        ]
        """
        let statements = try parser.statements(in: text, file: "validate/001-check.json", validator: true)
        #expect(statements.count == 2)
        #expect(statements[0].text == #"{"count": "orders"}"#)
        #expect(statements[0].expectation == #"{"ok": 1, "n": {"$numberLong": "2"}}"#)
        #expect(statements[0].line == 2 && statements[0].column == 3)
        #expect(statements[1].line == 3)
    }

    @Test func aValidatorNeedsCommandAndExpect() {
        for text in [
            #"[{"count": "orders"}]"#,
            #"[{"command": {"count": "orders"}}]"#,
            #"[{"command": {"count": "orders"}, "expect": 1}]"#,
            #"[{"command": {"count": "orders"}, "expect": {}, "extra": true}]"#,
        ] {
            #expect(throws: InputError.self, "\(text)") { try parser.statements(in: text, file: "validate/001.json", validator: true) }
        }
    }

    @Test func javaScriptIsAMigrationOnlyWhenItHasAnEntry() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-parser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("20240101-add-index.js")
        try "module.exports = { async up(db) { await db.collection('orders').createIndex({number: 1}) } }".write(to: url, atomically: true, encoding: .utf8)
        let validator = ScriptFile(url: url, displayPath: "validate/20240101-add-index.js", role: .validator, phase: "validate", number: nil, summary: "add index")
        #expect {
            _ = try parser.prepare(validator)
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.file == "validate/20240101-add-index.js" && error.message.contains("Extended JSON (.json)")
        }
        let migration = ScriptFile(
            url: url, displayPath: "migrations/20240101-add-index.js", role: .forward, phase: "migrations", number: nil, summary: "add index", entry: "up"
        )
        #expect(try parser.prepare(migration).statements.isEmpty, "node --check passes; the file runs under Node.js")
    }

    @Test func prepareReadsTheFileAndNamesItInErrors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-parser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("001-create.json")
        try "\u{FEFF}[{\"create\": \"orders\"}]".write(to: good, atomically: true, encoding: .utf8)
        let script = try parser.prepare(ScriptFile(url: good, displayPath: "p/001-create.json", role: .forward, phase: "migrations", number: nil, summary: "create"))
        #expect(script.statements == [ScriptStatement(text: #"{"create": "orders"}"#, line: 1, column: 2)])

        let bad = directory.appendingPathComponent("002-bad.json")
        try "[\n{\"create\": \"orders\"\n]".write(to: bad, atomically: true, encoding: .utf8)
        #expect {
            _ = try parser.prepare(ScriptFile(url: bad, displayPath: "p/002-bad.json", role: .forward, phase: "migrations", number: nil, summary: "bad"))
        } throws: { error in
            (error as? InputError)?.description.hasPrefix("p/002-bad.json:3:1: expected ',' or '}'") == true
        }
    }

    @Test func stringsAndEscapesRoundTrip() throws {
        let value = try ExtendedJSONScanner.parse(#"{"a": "line\nbreak \u00e9 \ud83d\ude00 \"q\"", "b": [1, -2.5e3, true, null]}"#)
        #expect(value["a"]?.stringValue == "line\nbreak é 😀 \"q\"")
        #expect(value["b"] == .array([.number("1"), .number("-2.5e3"), .bool(true), .null]))
        #expect(try ExtendedJSONScanner.parse(value.jsonText) == value)
    }
}
