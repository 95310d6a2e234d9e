import Testing
@testable import RehearseCore

@Suite struct MigrationFileNameTests {
    @Test func parsesFlywayForwardAndUndo() throws {
        let forward = try #require(MigrationFileName.flyway("V1.1.0.001__Add_orders_table.sql"))
        #expect(forward.direction == .forward)
        #expect(forward.number == MigrationNumber(version: SemanticVersion("1.1.0"), sequence: 1))
        #expect(forward.summary == "Add orders table")
        let undo = try #require(MigrationFileName.flyway("U1.1.0.200__Index.sql"))
        #expect(undo.direction == .undo)
        #expect(undo.number.sequence == 200)
    }

    @Test(arguments: [
        "V1.1.0__Missing_number.sql", "V1.1.0.01__Two_digits.sql", "V1.1.0.001_Single_underscore.sql",
        "X1.1.0.001__Prefix.sql", "V1.1.0.001__.sql", "V1.1.0.001__Text.txt", "Vv1.1.0.001__Folder_spelling.sql",
        "add_orders.sql",
    ])
    func rejectsNonFlywayNames(_ name: String) {
        #expect(MigrationFileName.flyway(name) == nil)
    }

    @Test func parsesMongoNames() throws {
        let name = try #require(MigrationFileName.mongo("010-create-orders.json"))
        #expect(name.number == MigrationNumber(version: nil, sequence: 10))
        #expect(MigrationFileName.mongo("20240101120000-add-index.json")?.number.sequence == 20240101120000)
        #expect(MigrationFileName.mongo("create-orders.json") == nil)
        #expect(MigrationFileName.mongo("001-create.js")?.number.sequence == 1, "a migrate-mongo JavaScript migration")
        #expect(MigrationFileName.mongo("001-create.mjs") == nil)
    }

    @Test func numbersOrderByVersionThenSequence() {
        let a = MigrationNumber(version: SemanticVersion("1.0.0"), sequence: 200)
        let b = MigrationNumber(version: SemanticVersion("1.1.0"), sequence: 1)
        let c = MigrationNumber(version: SemanticVersion("1.1.0"), sequence: 100)
        #expect([c, b, a].sorted() == [a, b, c])
        #expect(b.description == "1.1.0.001")
    }
}
