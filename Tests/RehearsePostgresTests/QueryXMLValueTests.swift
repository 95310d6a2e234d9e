import Testing
@testable import RehearsePostgres

/// Reading a value out of what `query_to_xml` writes.
@Suite struct QueryXMLValueTests {
    @Test func xmlElementsAreFoundAndUnescaped() {
        let xml = "<row xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n  <rehearse_rows>[[\"&lt;a &amp; b&gt;&#x0d;\"]]</rehearse_rows>\n</row>\n"
        #expect(PostgresDataReader.xmlElement("rehearse_rows", in: xml) == "[[\"<a & b>\r\"]]")
        #expect(PostgresDataReader.xmlElement("rehearse_count", in: xml) == nil)
        #expect(PostgresDataReader.xmlElement("r", in: "<row><r>&amp;amp;</r></row>") == "&amp;")
    }
}
