import Testing
@testable import RehearseCore

@Suite struct SemanticVersionTests {
    @Test func parsesFolderAndFileSpellings() {
        #expect(SemanticVersion("v1.2.3") == SemanticVersion(major: 1, minor: 2, patch: 3))
        #expect(SemanticVersion("1.2.3")?.description == "v1.2.3")
        #expect(SemanticVersion("v2.0.0-rc.1")?.bare == "2.0.0-rc.1")
    }

    @Test(arguments: ["", "v1", "v1.2", "v1.2.3.4", "v1.x.3", "v1.2.3-", "v-1.2.3", "v1..3"])
    func rejectsMalformed(_ text: String) {
        #expect(SemanticVersion(text) == nil)
    }

    @Test func ordersNumericallyAndPrereleasesFirst() {
        let sorted = ["v1.10.0", "v1.2.0", "v1.2.0-rc.2", "v1.2.0-rc.10", "v0.9.9", "v1.2.0-alpha"].compactMap { SemanticVersion($0) }.sorted()
        #expect(sorted.map(\.description) == ["v0.9.9", "v1.2.0-alpha", "v1.2.0-rc.2", "v1.2.0-rc.10", "v1.2.0", "v1.10.0"])
    }
}
