import Foundation
import Testing
@testable import RehearseCore

@Suite struct SnapshotDiffTests {
    @Test func rendersAddedRemovedAndChangedLines() {
        let before = SchemaSnapshot(objects: [
            SnapshotObject(kind: "index", name: "public.idx_orders_status", definition: "CREATE INDEX idx_orders_status ON public.orders USING btree (status)"),
            SnapshotObject(kind: "table", name: "public.legacy", definition: ""),
        ])
        let after = SchemaSnapshot(objects: [
            SnapshotObject(kind: "index", name: "public.idx_orders_status", definition: "CREATE UNIQUE INDEX idx_orders_status ON public.orders USING btree (status)"),
            SnapshotObject(kind: "column", name: "public.users.email", definition: "character varying(255) not null", position: 3),
        ])
        let diff = SnapshotDiff(from: before, to: after)
        #expect(diff.lines == [
            "+ column public.users.email character varying(255) not null",
            "~ index public.idx_orders_status: CREATE INDEX idx_orders_status ON public.orders USING btree (status) -> CREATE UNIQUE INDEX idx_orders_status ON public.orders USING btree (status)",
            "- table public.legacy",
        ])
    }

    @Test func columnOrderIsANoteUnlessStrict() {
        let before = SchemaSnapshot(objects: [SnapshotObject(kind: "column", name: "t.a", definition: "integer", position: 1)])
        let after = SchemaSnapshot(objects: [SnapshotObject(kind: "column", name: "t.a", definition: "integer", position: 2)])
        let lenient = SnapshotDiff(from: before, to: after)
        #expect(lenient.isEmpty)
        #expect(lenient.notes.joined().contains("column t.a moved from position 1 to 2"))
        let strict = SnapshotDiff(from: before, to: after, strictColumnOrder: true)
        #expect(strict.lines == ["~ column t.a: position 1 -> 2"])
    }

    /// crates.io's downs re-create functions from re-indented copies: the same code, laid out differently.
    @Test func aRoutineReindentedIsANoteAndAChangedWordIsAChange() {
        let before = "CREATE FUNCTION f()\nAS $function$\n    BEGIN\n        RETURN 1;\n    END\n    $function$"
        let after = "CREATE FUNCTION f()\nAS $function$\nBEGIN\n\n  RETURN 1;  \nEND\n$function$"
        let snapshot = { (definition: String, kind: String) in
            SchemaSnapshot(objects: [SnapshotObject(kind: kind, name: "public.f()", definition: definition)])
        }
        let reindented = SnapshotDiff(from: snapshot(before, "function"), to: snapshot(after, "function"))
        #expect(reindented.isEmpty)
        #expect(reindented.notes == ["bodies differ in indentation or blank lines only (not a failure):", "  function public.f()"])
        let changed = SnapshotDiff(from: snapshot(before, "function"), to: snapshot(after.replacingOccurrences(of: "1", with: "2"), "function"))
        #expect(!changed.isEmpty)
        // Only routine bodies: a view's or a constraint's text is the server's own rendering.
        #expect(!SnapshotDiff(from: snapshot(before, "view"), to: snapshot(after, "view")).isEmpty)
    }

    @Test func multiLineDefinitionsShowOnlyChangedLines() {
        let body = { (line: String) in "CREATE FUNCTION f()\nBEGIN\n  \(line)\nEND" }
        let diff = SnapshotDiff(
            from: SchemaSnapshot(objects: [SnapshotObject(kind: "function", name: "public.f()", definition: body("RETURN 1;"))]),
            to: SchemaSnapshot(objects: [SnapshotObject(kind: "function", name: "public.f()", definition: body("RETURN 2;"))])
        )
        #expect(diff.lines == ["~ function public.f():", "    -   RETURN 1;", "    +   RETURN 2;"])
    }

    @Test func lineDiffKeepsCommonLines() {
        #expect(LineDiff.lines(from: ["a", "b", "c"], to: ["a", "c", "d"]) == ["- b", "+ d"])
        #expect(LineDiff.lines(from: [], to: ["x"]) == ["+ x"])
    }
}

@Suite struct DataDiffTests {
    static func table(_ rows: [(String, String?)]) -> TableData {
        TableData(keyColumns: ["id"], rows: rows.map { DataRow(key: "id=\($0.0)", columns: ["id", "legacy_code"], values: [$0.0, $0.1]) })
    }

    @Test func equalRegardlessOfRowOrder() {
        let a = DataFingerprint(tables: ["public.customers": Self.table([("1", "A-1"), ("2", "B-2")])])
        let b = DataFingerprint(tables: ["public.customers": Self.table([("2", "B-2"), ("1", "A-1")])])
        #expect(a == b)
        #expect(DataDiff(from: a, to: b).isEmpty)
    }

    @Test func namesTableAndRowByKey() {
        let before = DataFingerprint(tables: ["public.customers": Self.table([("1", "A-1"), ("2", "B-2")])])
        let after = DataFingerprint(tables: ["public.customers": Self.table([("1", "A-1"), ("2", nil)])])
        let diff = DataDiff(from: before, to: after)
        #expect(diff.tables.map(\.table) == ["public.customers"])
        #expect(diff.tables[0].rows == ["customers id=2: legacy_code 'B-2' -> NULL"])
    }

    @Test func showsAtMostFiveRowsAndCountsTheRest() {
        let before = DataFingerprint(tables: ["public.t": Self.table((1...8).map { ("\($0)", "x") })])
        let after = DataFingerprint(tables: ["public.t": Self.table([])])
        let diff = DataDiff(from: before, to: after)
        #expect(diff.tables[0].rows.count == 5)
        #expect(diff.tables[0].differingRows == 8)
        #expect(diff.text.contains("… and 3 more"))
    }

    @Test func aLostTableIsReported() {
        let before = DataFingerprint(tables: ["public.t": Self.table([("1", "x")])])
        let diff = DataDiff(from: before, to: DataFingerprint())
        #expect(diff.text.contains("t: table is gone (1 rows lost)"))
    }

    @Test func anEmptyTableComingOrGoingChangesNoData() {
        let empty = DataFingerprint(tables: ["public.t": Self.table([])])
        #expect(DataDiff(from: empty, to: DataFingerprint()).isEmpty)
        #expect(DataDiff(from: DataFingerprint(), to: empty).isEmpty)
        #expect(!DataDiff(from: DataFingerprint(), to: DataFingerprint(tables: ["public.t": Self.table([("1", "x")])])).isEmpty)
    }
}

@Suite struct LongDefinitionDiffTests {
    /// A 2,000-character one-line view that differs in one column is shown as a short line diff at that column.
    @Test func aLongOneLineDefinitionDiffsByClause() {
        let columns = (1...120).map { "t.column_\($0)" }
        let old = "SELECT " + columns.joined(separator: ", ") + " FROM public.t WHERE t.active AND t.kind = 'x'"
        let new = old.replacingOccurrences(of: "t.column_77,", with: "t.column_77b,")
        #expect(old.count > 1_500)
        let diff = SnapshotDiff(
            from: SchemaSnapshot(objects: [SnapshotObject(kind: "view", name: "public.v", definition: old)]),
            to: SchemaSnapshot(objects: [SnapshotObject(kind: "view", name: "public.v", definition: new)])
        )
        let lines = diff.lines
        #expect(lines.first == "~ view public.v:")
        #expect(lines.count == 3, "\(lines)")
        #expect(lines.allSatisfy { $0.count < 120 }, "\(lines)")
        #expect(lines.contains { $0.contains("- ") && $0.contains("t.column_77,") })
        #expect(lines.contains { $0.contains("+ ") && $0.contains("t.column_77b,") })
    }

    @Test func wrappingKeepsQuotedTextWhole() {
        let line = String(repeating: "x", count: 30) + ", 'a, b FROM c', " + String(repeating: "y", count: 90)
        let pieces = DefinitionLines.wrap(line)
        #expect(pieces.contains { $0.contains("'a, b FROM c',") })
        #expect(pieces.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ") == line)
    }

    /// An object's fields live in a shared box; its JSON is the plain object, `position` only when it has one.
    @Test func anObjectEncodesAsItsFieldsAndComparesByThem() throws {
        let column = SnapshotObject(kind: "column", name: "public.users.email", definition: "text not null", position: 2)
        let table = SnapshotObject(kind: "table", name: "public.users", definition: "")
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode([column, table])) as? [[String: Any]]
        #expect(json?[0]["position"] as? Int == 2 && json?[0]["kind"] as? String == "column")
        #expect(json?[1].keys.sorted() == ["definition", "kind", "name"])
        let decoded = try JSONDecoder().decode([SnapshotObject].self, from: JSONEncoder().encode([column, table]))
        #expect(decoded == [column, table])
        #expect(decoded[0].hashValue == column.hashValue)
        #expect(SnapshotObject(kind: "column", name: "public.users.email", definition: "text not null", position: 3) != column)
    }
}
