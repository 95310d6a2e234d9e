import Foundation
import Testing
import RehearseCore
@testable import RehearsePostgres

/// One half of a dbmate file: the parser reads only the section but keeps the file's line numbers.
@Suite struct PostgresScriptParserSectionTests {
    static let file = """
    -- migrate:up
    CREATE TABLE users (id bigint);
    CREATE INDEX users_id ON users (id);

    -- migrate:down
    DROP TABLE users;
    """

    private func prepare(section: Range<Int>?) throws -> PreparedScript {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-section-\(UUID().uuidString).sql")
        try Data(Self.file.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let script = ScriptFile(url: url, displayPath: "db/1_users.sql", role: .forward, phase: "forward", number: nil, summary: "users", section: section)
        return try PostgresScriptParser().prepare(script)
    }

    @Test func eachHalfKeepsItsStatementsAndTheirLines() throws {
        let down = try #require(Self.file.range(of: "-- migrate:down")).lowerBound.utf16Offset(in: Self.file)
        let up = try prepare(section: 0..<down)
        #expect(up.statements.map(\.text) == ["CREATE TABLE users (id bigint)", "CREATE INDEX users_id ON users (id)"])
        #expect(up.statements.map(\.line) == [2, 3])
        let undo = try prepare(section: down..<Self.file.utf8.count)
        #expect(undo.statements.map(\.text) == ["DROP TABLE users"])
        #expect(undo.statements.first?.line == 6)
        #expect(undo.statements.first?.column == 1)
        #expect(try prepare(section: nil).statements.count == 3)
    }

    @Test func blankingKeepsNewlinesOnly() {
        let bytes = Array("ab\ncd\nef".utf8)
        #expect(PostgresScriptParser.keeping(3..<5, of: bytes) == Array("  \ncd\n  ".utf8))
        #expect(PostgresScriptParser.keeping(nil, of: bytes) == bytes)
    }
}
