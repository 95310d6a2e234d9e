import Foundation
import Testing
@testable import RehearsePostgres
import RehearseCore

/// Times the snapshot, the fingerprint and the data digest, batched and the old statement-by-statement way, on the
/// generated benchmark schema (`ci/generate-history.py --layout psql`, 600 migrations: 100 tables of 100 rows with
/// views, indexes and foreign keys). A measurement, not a test: it prints medians (and the fastest run, the least
/// disturbed by other work on the machine) and asserts nothing about them.
///
///     REHEARSE_MEASURE_READS=1 swift test --filter ReadTimingMeasurement
///
/// `REHEARSE_MEASURE_COUNT` changes the number of migrations (six per table).
@Suite(.catalogServer, .enabled(if: ProcessInfo.processInfo.environment["REHEARSE_MEASURE_READS"] != nil))
struct ReadTimingMeasurement {
    static let repetitions = 15

    @Test func readTimings() throws {
        let count = ProcessInfo.processInfo.environment["REHEARSE_MEASURE_COUNT"] ?? "600"
        let directory = try TemporaryDirectory(prefix: "rehearse-measure-")
        defer { directory.remove() }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let generator = Process()
        generator.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        generator.arguments = ["python3", root.appendingPathComponent("ci/generate-history.py").path, "--layout", "psql", "--count", count, "--out", directory.url.path]
        try generator.run()
        generator.waitUntilExit()
        try #require(generator.terminationStatus == 0, "ci/generate-history.py failed")
        let forward = try String(contentsOf: directory.url.appendingPathComponent("forward.sql"), encoding: .utf8)

        try CatalogTestServer.withDatabase("measure") { database in
            try database.apply(CatalogTestServer.script(forward, name: "forward.sql"))
            let connection = try #require(database as? PostgresDatabase).session()
            let catalog = PostgresCatalogReader(connection: connection)
            let data = PostgresDataReader(connection: connection)
            #expect(try catalog.snapshot() == catalog.snapshotQueryByQuery())
            #expect(try data.fingerprint() == data.fingerprintQueryByQuery())
            let tables = try data.dataDigest().tables.count
            var lines = ["reads on \(tables) tables (\(count) migrations), median of \(Self.repetitions) runs:"]
            func time(_ label: String, _ body: () throws -> Void) rethrows {
                var samples: [Double] = []
                for _ in 0..<Self.repetitions {
                    let start = DispatchTime.now().uptimeNanoseconds
                    try body()
                    samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
                }
                let sorted = samples.sorted()
                lines.append("  \(label.padding(toLength: 40, withPad: " ", startingAt: 0)) \(String(format: "%8.1f ms  (fastest %6.1f)", sorted[sorted.count / 2], sorted[0]))")
            }
            // Before: main's queries (obj_description, col_description), one round trip each, settings pinned one by one.
            try time("snapshot as before") { _ = try catalog.snapshotQueryByQuery(reads: PostgresBatchReadTests.originalReads) }
            try time("snapshot, today's SQL, query by query") { _ = try catalog.snapshotQueryByQuery() }
            try time("snapshot, one batch (after)") { _ = try catalog.snapshot() }
            try time("fingerprint, query by query (as before)") { _ = try data.fingerprintQueryByQuery() }
            try time("fingerprint, two batches (after)") { _ = try data.fingerprint() }
            try time("dataDigest, one batch") { _ = try data.dataDigest() }
            // Where the time goes: each catalog query alone, the server's part of the data reads, the client's part.
            for read in PostgresCatalogReader.reads {
                try time("  raw " + read.name) { _ = try connection.execute(read.sql) }
            }
            try time("  raw data: tables") { _ = try connection.execute(PostgresDataReader.tablesSQL) }
            let listed = PostgresDataReader.tables(from: try connection.execute(PostgresDataReader.tablesSQL).rows)
            try time("  per-table SELECTs, one by one") { for table in listed { _ = try connection.execute(table.selectStatement) } }
            try time("  raw data: digests") { _ = try connection.execute(PostgresDataReader.digestSQL) }
            try connection.execute("BEGIN")
            try time("snapshot in a transaction") { _ = try catalog.snapshot() }
            try time("dataDigest in a transaction") { _ = try data.dataDigest() }
            try connection.execute("ROLLBACK")
            print(lines.joined(separator: "\n"))
        }
    }
}
