import Testing
@testable import RehearseCore

/// How `DataDiff` compares digest-only tables, and the protocol's default digest.
@Suite struct DataDigestDiffTests {
    static func digest(_ count: Int, _ digest: String, key: [String] = ["id"]) -> DataFingerprint {
        DataFingerprint(tables: ["public.t": TableData(keyColumns: key, rowCount: count, digest: digest)])
    }

    static func full(_ rows: [String]) -> DataFingerprint {
        DataFingerprint(tables: ["public.t": TableData(keyColumns: ["id"], rows: rows.map { DataRow(key: "id=\($0)", columns: ["id"], values: [$0]) })])
    }

    @Test func equalCountAndDigestIsNoChange() {
        #expect(DataDiff(from: Self.digest(3, "42"), to: Self.digest(3, "42")).isEmpty)
        // The key columns name rows in messages; they are not data.
        #expect(DataDiff(from: Self.digest(3, "42"), to: Self.digest(3, "42", key: ["id", "name"])).isEmpty)
    }

    @Test func aDifferentDigestIsReportedWithoutRows() {
        let diff = DataDiff(from: Self.digest(3, "42"), to: Self.digest(3, "43"))
        #expect(diff.tables.map(\.table) == ["public.t"])
        #expect(diff.tables[0].comparedByDigest)
        #expect(diff.tables[0].differingRows == 1)
        #expect(diff.text == "table public.t: rows differ\n  t: rows differ (3 rows -> 3 rows)")
        let fewer = DataDiff(from: Self.digest(5, "42"), to: Self.digest(2, "7"))
        #expect(fewer.tables[0].differingRows == 3)
        #expect(fewer.text.contains("(5 rows -> 2 rows)"))
    }

    @Test func emptyDigestOnlyTablesChangeNoData() {
        #expect(DataDiff(from: Self.digest(0, "0"), to: DataFingerprint()).isEmpty)
        #expect(DataDiff(from: DataFingerprint(), to: Self.digest(0, "0")).isEmpty)
        #expect(DataDiff(from: Self.digest(2, "9"), to: DataFingerprint()).text.contains("t: table is gone (2 rows lost)"))
        #expect(DataDiff(from: DataFingerprint(), to: Self.digest(2, "9")).text.contains("t: table appeared with 2 rows"))
    }

    /// A digest cannot be compared with rows: the table counts as changed unless both sides are empty.
    @Test func aDigestAgainstRowsIsAChange() {
        #expect(!DataDiff(from: Self.full(["1"]), to: Self.digest(1, "42")).isEmpty)
        #expect(!DataDiff(from: Self.digest(1, "42"), to: Self.full(["1"])).isEmpty)
        #expect(DataDiff(from: Self.full([]), to: Self.digest(0, "0")).isEmpty)
    }

    @Test func fullTablesCountTheirRows() {
        let table = TableData(keyColumns: ["id"], rows: [DataRow(key: "id=1", columns: ["id"], values: ["1"])])
        #expect(table.rowCount == 1)
        #expect(!table.isDigestOnly)
        #expect(DataDiff(from: Self.full(["1", "2"]), to: Self.full(["1"])).tables[0].rows == ["t id=2: row missing"])
    }

    @Test func enginesWithoutADigestReturnTheirFingerprint() throws {
        let database = try FakeEngine().createDatabase(label: "digest")
        defer { database.drop() }
        try database.apply(PreparedScript(
            file: ScriptFile(url: .init(fileURLWithPath: "/nonexistent/a"), displayPath: "a", role: .forward, phase: "schema", number: nil, summary: "a"),
            statements: [ScriptStatement(text: "create table t", line: 1, column: 1), ScriptStatement(text: "insert t 1 x", line: 2, column: 1)]
        ))
        #expect(try database.dataDigest() == database.fingerprint())
        #expect(try database.dataDigest().tables["t"]?.rowCount == 1)
    }
}
