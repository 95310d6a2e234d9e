import Testing
@testable import RehearseReporters

@Suite struct XMLWriterTests {
    @Test func escapesTheFiveSpecialCharactersInText() {
        #expect(XMLWriter.escapeText(#"a < b && c > "d" 'e'"#) == "a &lt; b &amp;&amp; c &gt; &quot;d&quot; &apos;e&apos;")
    }

    @Test func attributesKeepLineBreaksAndTabsAsCharacterReferences() {
        #expect(XMLWriter.escapeAttribute("one\ntwo\tthree\r") == "one&#10;two&#9;three&#13;")
        #expect(XMLWriter.escapeText("one\ntwo\tthree") == "one\ntwo\tthree")
    }

    @Test func dropsCharactersXMLCannotCarry() {
        #expect(XMLWriter.escapeText("nul\u{0}bell\u{7}esc\u{1B}ok") == "nulbellescok")
        #expect(XMLWriter.escapeAttribute("\u{FFFE}x\u{FFFF}") == "x")
        #expect(XMLWriter.escapeText("émoji 🐘 and ñ") == "émoji 🐘 and ñ")
    }

    @Test func allowedCharactersFollowTheXML10CharProduction() {
        #expect(XMLWriter.isAllowed("\t") && XMLWriter.isAllowed("\n") && XMLWriter.isAllowed("\r"))
        #expect(!XMLWriter.isAllowed("\u{1F}"))
        #expect(XMLWriter.isAllowed("\u{E000}") && XMLWriter.isAllowed("\u{10FFFF}"))
        #expect(!XMLWriter.isAllowed("\u{FFFE}"))
    }

    @Test func writesAnIndentedDocument() {
        var xml = XMLWriter()
        xml.open("a", [("x", "1 & 2")])
        xml.element("b")
        xml.element("c", [("m", "<q>")], text: "line 1\nline <2>")
        xml.open("d")
        xml.element("e", text: "")
        xml.close()
        xml.close()
        #expect(xml.document == """
            <?xml version="1.0" encoding="UTF-8"?>
            <a x="1 &amp; 2">
              <b/>
              <c m="&lt;q&gt;">line 1
            line &lt;2&gt;</c>
              <d>
                <e></e>
              </d>
            </a>

            """)
    }
}
