import Testing
@testable import RehearsePostgres

/// The reader of the data reader's JSON rows: every escape PostgreSQL writes, and refusal of anything else.
@Suite struct TextRowsJSONTests {
    @Test func readsStringsNullsAndEscapes() {
        let json = #"[["1", null, ""], ["a\"b\\c\/d", "\b\f\n\r\t", "\u0001 Zoë 🐘 \ud83d\udc18"], ["\\", "\"", "x\\\"y"]]"#
        let rows = TextRowsJSON.rows(in: json, width: 3)
        #expect(rows == [["1", nil, ""], ["a\"b\\c/d", "\u{8}\u{c}\n\r\t", "\u{1} Zoë 🐘 🐘"], ["\\", "\"", "x\\\"y"]])
    }

    @Test func readsEmptyArraysAndWhitespace() {
        #expect(TextRowsJSON.rows(in: "[]", width: 2) == [])
        #expect(TextRowsJSON.rows(in: "[[], \n []]", width: 0) == [[], []])
        #expect(TextRowsJSON.rows(in: " [ [ \"a\" , null ] ] ", width: 2) == [["a", nil]])
    }

    @Test func refusesOtherShapes() {
        #expect(TextRowsJSON.rows(in: #"[["a"]]"#, width: 2) == nil)
        #expect(TextRowsJSON.rows(in: #"[["a", 1]]"#, width: 2) == nil)
        #expect(TextRowsJSON.rows(in: #"[["a"]] x"#, width: 1) == nil)
        #expect(TextRowsJSON.rows(in: #"[["a]]"#, width: 1) == nil)
        #expect(TextRowsJSON.rows(in: #"[["\q"]]"#, width: 1) == nil)
        #expect(TextRowsJSON.rows(in: #"[["\ud83d"]]"#, width: 1) == nil)
        #expect(TextRowsJSON.rows(in: "{}", width: 0) == nil)
    }

    @Test func xmlElementsAreFoundAndUnescaped() {
        let xml = "<row xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n  <rehearse_rows>[[\"&lt;a &amp; b&gt;&#x0d;\"]]</rehearse_rows>\n</row>\n"
        #expect(PostgresDataReader.xmlElement("rehearse_rows", in: xml) == "[[\"<a & b>\r\"]]")
        #expect(PostgresDataReader.xmlElement("rehearse_count", in: xml) == nil)
        #expect(PostgresDataReader.xmlElement("r", in: "<row><r>&amp;amp;</r></row>") == "&amp;")
    }
}
