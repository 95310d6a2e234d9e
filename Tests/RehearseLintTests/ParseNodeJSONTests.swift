import Foundation
import Testing
@testable import RehearseLint

/// The one-pass JSON reader gives the trees `JSONDecoder` gave, and refuses what is not JSON.
@Suite struct ParseNodeJSONTests {
    private static let samples = [
        #"{"version":150001,"stmts":[{"stmt":{"AlterTableStmt":{"relation":{"relname":"t","inh":true,"relpersistence":"p","location":12},"cmds":[{"AlterTableCmd":{"subtype":"AT_AddColumn","behavior":"DROP_RESTRICT"}}],"objtype":"OBJECT_TABLE"}},"stmt_len":40}]}"#,
        #"{"s":"quote \" backslash \\ slash \/ tab \t newline \n cr \r","u":"\u00e9\u4e2d \ud83d\ude00","raw":"é 😀","n":[-1,0,3.5,2e3,1E-2],"b":[true,false],"z":null,"e":{},"a":[]}"#,
        "  [ 1 , {\"k\" : [ ] } ]\n",
    ]

    @Test(arguments: samples)
    func readsWhatJSONDecoderReads(_ json: String) throws {
        let decoded = try JSONDecoder().decode(ParseNode.self, from: Data(json.utf8))
        #expect(try ParseNode.read(json: json) == decoded)
    }

    @Test func readsTheValuesTheRulesUse() throws {
        let node = try ParseNode.read(json: Self.samples[1])
        #expect(node["u"]?.string == "é中 😀")
        #expect(node["s"]?.string == "quote \" backslash \\ slash / tab \t newline \n cr \r")
        #expect(node["n"]?.items.map(\.int) == [-1, 0, 3, 2000, 0])
        #expect(node["b"]?.items.map(\.bool) == [true, false])
        #expect(node["z"] == .null && node["e"] == .object([:]) && node["a"] == .array([]))
        #expect(try ParseNode.read(json: #"{"lone":"\ud800x"}"#)["lone"]?.string == "\u{FFFD}x")
    }

    @Test(arguments: [#"{"a":1"#, #"{"a" 1}"#, "[1,]", "tru", #""open"#, "{} x", "", #"{"a":"\q"}"#, "[1 2]"])
    func refusesWhatIsNotJSON(_ json: String) {
        #expect(throws: ParseNode.MalformedJSON.self) { try ParseNode.read(json: json) }
    }

    @Test func aTreeTooDeepIsRefusedRatherThanOverflowingTheStack() throws {
        func nested(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }
        #expect(try ParseNode.read(json: nested(500)).items.count == 1)
        #expect(throws: ParseNode.MalformedJSON.self) { try ParseNode.read(json: nested(513)) }
        // Where Foundation stopped too.
        #expect(throws: (any Error).self) { try JSONDecoder().decode(ParseNode.self, from: Data(nested(513).utf8)) }
    }
}
