import Foundation
import Testing
@testable import RehearseCore

/// The record of scratch databases on a user's server: written before each database is created, read by the
/// next run to drop what a dead run left there — and nothing else.
@Suite struct ScratchDatabaseLedgerTests {
    static func cache() throws -> (URL, [String: String]) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-ledger-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return (url, ["REHEARSE_CACHE_DIR": url.path])
    }

    @Test func namesAreRecordedUntilTheyAreDropped() throws {
        let (cache, environment) = try Self.cache()
        defer { try? FileManager.default.removeItem(at: cache) }
        let ledger = ScratchDatabaseLedger(kind: "postgresql", location: "db:5432", environment: environment)
        let folder = cache.appendingPathComponent("scratch-databases")
        ledger.record("rehearse_a_1")
        ledger.record("rehearse_b_2")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.count == 1)
        let text = try String(contentsOf: folder.appendingPathComponent(files[0]), encoding: .utf8)
        #expect(text == "postgresql\tdb:5432\trehearse_a_1\npostgresql\tdb:5432\trehearse_b_2\n")
        ledger.forget("rehearse_a_1")
        ledger.forget("rehearse_b_2")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func onlyDeadRunsRecordsForThisServerAreDropped() throws {
        let (cache, environment) = try Self.cache()
        defer { try? FileManager.default.removeItem(at: cache) }
        let folder = cache.appendingPathComponent("scratch-databases")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // A dead owner: pid 1's start time is never 1, so this owner is not alive.
        let dead = "1-1-postgresql-deadbeef.tsv"
        try Data("postgresql\tdb:5432\trehearse_left_1\npostgresql\tother:5432\trehearse_elsewhere_2\nmongodb\tdb:5432\trehearse_docs_3\npostgresql\tdb:5432\tnot_ours\n".utf8)
            .write(to: folder.appendingPathComponent(dead))
        let live = ScratchDatabaseLedger(kind: "postgresql", location: "db:5432", environment: environment)
        live.record("rehearse_live_4")
        defer { live.forget("rehearse_live_4") }

        var dropped: [String] = []
        ScratchDatabaseLedger.dropAbandoned(kind: "postgresql", location: "db:5432", environment: environment) { name in
            dropped.append(name)
            return true
        }
        #expect(dropped == ["rehearse_left_1"])
        let kept = try String(contentsOf: folder.appendingPathComponent(dead), encoding: .utf8)
        #expect(kept.contains("rehearse_elsewhere_2"))
        #expect(kept.contains("rehearse_docs_3"))
        #expect(!kept.contains("rehearse_left_1"))

        // A drop that failed is kept for a later run.
        var second: [String] = []
        ScratchDatabaseLedger.dropAbandoned(kind: "mongodb", location: "db:5432", environment: environment) { second.append($0); return false }
        #expect(second == ["rehearse_docs_3"])
        #expect(try String(contentsOf: folder.appendingPathComponent(dead), encoding: .utf8).contains("rehearse_docs_3"))
    }

    @Test func aRecordKilledWhileBeingRewrittenIsReadToo() throws {
        let (cache, environment) = try Self.cache()
        defer { try? FileManager.default.removeItem(at: cache) }
        let folder = cache.appendingPathComponent("scratch-databases")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("postgresql\tdb:5432\trehearse_a_1\npostgresql\tother:1\trehearse_x_9\n".utf8).write(to: folder.appendingPathComponent("1-1-postgresql-0.tsv"))
        try Data("postgresql\tdb:5432\trehearse_a_1\npostgresql\tdb:5432\trehearse_b_2\npostgresql\tother:1\trehearse_y_8\n".utf8).write(to: folder.appendingPathComponent("1-1-postgresql-0.tsv.tmp"))
        var dropped: Set<String> = []
        ScratchDatabaseLedger.dropAbandoned(kind: "postgresql", location: "db:5432", environment: environment) { dropped.insert($0); return true }
        #expect(dropped == ["rehearse_a_1", "rehearse_b_2"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["1-1-postgresql-0.tsv"])
        let kept = try String(contentsOf: folder.appendingPathComponent("1-1-postgresql-0.tsv"), encoding: .utf8)
        #expect(kept.contains("rehearse_x_9") && kept.contains("rehearse_y_8"))
    }
}
