import Testing
@testable import RehearsePostgres
import RehearseCore

/// The parts of the catalog readers that need no server: session pinning and the readable text helpers.
@Suite struct PostgresCatalogSessionTests {
    /// Records statements and answers `current_setting` from a dictionary, as a session would.
    final class FakeSession {
        var settings: [String: String]
        var statements: [String] = []

        init(_ settings: [String: String]) { self.settings = settings }

        func query(_ sql: String) throws -> [[String?]] {
            statements.append(sql)
            let arguments = sql.split(separator: "'", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map { String($0.element) }
            if sql.contains("current_setting") { return [[settings[arguments[0]]]] }
            if sql.contains("set_config") { settings[arguments[0]] = arguments[1] }
            return []
        }
    }

    struct BodyFailed: Error {}

    @Test func settingsArePinnedWhileReadingAndRestoredAfterwards() throws {
        let session = FakeSession(["search_path": "app, public", "TimeZone": "Europe/Paris"])
        let seen = try PostgresCatalogSession.pinned([("search_path", "pg_catalog"), ("TimeZone", "UTC")], query: session.query) {
            session.settings
        }
        #expect(seen == ["search_path": "pg_catalog", "TimeZone": "UTC"])
        #expect(session.settings == ["search_path": "app, public", "TimeZone": "Europe/Paris"])
    }

    @Test func settingsAreRestoredWhenTheReadFails() {
        let session = FakeSession(["search_path": "app"])
        #expect(throws: BodyFailed.self) {
            try PostgresCatalogSession.pinned([("search_path", "pg_catalog")], query: session.query) { () throws -> Int in
                throw BodyFailed()
            }
        }
        #expect(session.settings == ["search_path": "app"])
        #expect(session.statements.last == "SELECT pg_catalog.set_config('search_path', 'app', false)")
    }

    @Test func literalsSurviveQuotesAndBackslashes() {
        #expect(PostgresCatalogSession.literal("it's") == "'it''s'")
        #expect(PostgresCatalogSession.literal(#"C:\temp"#) == #"E'C:\\temp'"#)
    }

    @Test func literalDefaultsLoseTheirRedundantCast() {
        #expect(PostgresCatalogReader.readableDefault("'x'::character varying", type: "character varying") == "'x'")
        #expect(PostgresCatalogReader.readableDefault("'it''s'::text", type: "text") == "'it''s'")
        // Not one literal of the column's type: left as PostgreSQL prints it.
        #expect(PostgresCatalogReader.readableDefault("('a'::text || 'b'::text)", type: "text") == "('a'::text || 'b'::text)")
        #expect(PostgresCatalogReader.readableDefault("'a'::text || 'b'::text", type: "text") == "'a'::text || 'b'::text")
        #expect(PostgresCatalogReader.readableDefault("'1'::bigint", type: "integer") == "'1'::bigint")
        #expect(PostgresCatalogReader.readableDefault("now()", type: "timestamp with time zone") == "now()")
    }

    @Test func enclosingParenthesesAreDroppedOnlyWhenTheyEncloseEverything() {
        #expect(PostgresCatalogReader.withoutEnclosingParentheses("(price * (qty)::numeric)") == "price * (qty)::numeric")
        #expect(PostgresCatalogReader.withoutEnclosingParentheses("(a) + (b)") == "(a) + (b)")
        #expect(PostgresCatalogReader.withoutEnclosingParentheses("(name || ')(')") == "name || ')('")
        #expect(PostgresCatalogReader.parenthesised("user_id > 0") == "(user_id > 0)")
        #expect(PostgresCatalogReader.parenthesised("(user_id > 0)") == "(user_id > 0)")
    }

    @Test func viewDefinitionsReadAsOneLine() {
        #expect(PostgresCatalogReader.collapsingWhitespace(" SELECT users.id,\n    users.email\n   FROM public.users;") == "SELECT users.id, users.email FROM public.users;")
    }

    @Test func commentsAreObjectsNamedAfterWhatTheyDescribe() {
        let column = SnapshotObject(kind: "column", name: "public.users.email", definition: "text")
        let comment = PostgresCatalogReader.comment("the user's address", on: column)
        #expect(comment == SnapshotObject(kind: "comment", name: "comment on column public.users.email", definition: "'the user''s address'"))
    }

    @Test func dataRowsAreKeyedByPrimaryKeyOrWholeRow() {
        var table = PostgresDataReader.Table(name: "public.t", quotedName: "public.t", only: true)
        table.columns = ["a", "b"]
        table.quotedColumns = ["a", "\"B\""]
        #expect(table.selectStatement == "SELECT a::text, \"B\"::text FROM ONLY public.t")
        #expect(PostgresDataReader.row(["1", nil], of: table).key == "a=1, b=NULL")
        table.keyColumns = ["b"]
        #expect(PostgresDataReader.row(["1", "x"], of: table).key == "b=x")
    }

    @Test func tableRowsGroupIntoTablesWithKeysInKeyOrder() {
        let rows: [[String?]] = [
            ["public.p", "public.p", "r", "region", "region", "1", "2"],
            ["public.p", "public.p", "r", "sku", "sku", "2", "1"],
            ["public.p", "public.p", "r", "amount", "amount", "3", nil],
            ["public.e", "public.e", "p", nil, nil, nil, nil],
        ]
        let tables = PostgresDataReader.tables(from: rows)
        #expect(tables.map(\.name) == ["public.p", "public.e"])
        #expect(tables[0].columns == ["region", "sku", "amount"])
        #expect(tables[0].keyColumns == ["sku", "region"])
        #expect(tables[1].columns.isEmpty && !tables[1].only)
    }
}
