import Foundation
@testable import RehearseCore

/// An in-memory engine whose "scripts" are one command per line, so the orchestrator can be tested without servers.
///
/// Commands: `create KIND NAME [DEFINITION]` (no-op when present), `create! KIND NAME` (fails when present),
/// `drop KIND NAME`, `insert TABLE KEY VALUE` (upsert), `delete TABLE KEY`, `fail MESSAGE`;
/// validators: `assert KIND NAME`.
struct FakeParser: ScriptParser {
    func prepare(_ file: ScriptFile) throws -> PreparedScript {
        let text = try String(contentsOf: file.url, encoding: .utf8)
        let statements = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
            line.trimmingCharacters(in: .whitespaces).isEmpty ? nil : ScriptStatement(text: String(line), line: index + 1, column: 1)
        }
        return PreparedScript(file: file, statements: statements)
    }
}

final class FakeEngine: DatabaseEngine, @unchecked Sendable {
    let kind: DatabaseKind
    let serverInfo = ServerInfo(product: "fake", version: "1", location: "memory")
    private let lock = NSLock()
    private var live: Set<String> = []
    private var counter = 0
    private var applications: [String: Int] = [:]
    private var copies = 0

    init(kind: DatabaseKind = .postgresql) {
        self.kind = kind
    }

    var liveDatabases: Set<String> {
        lock.lock(); defer { lock.unlock() }
        return live
    }

    func createDatabase(label: String) throws -> any ScratchDatabase {
        FakeDatabase(engine: self, name: register(label), objects: [:], rows: [:])
    }

    func register(_ label: String) -> String {
        lock.lock(); defer { lock.unlock() }
        counter += 1
        let name = "rehearse_\(label)_\(counter)"
        live.insert(name)
        return name
    }

    /// How often each file (by display path) was applied, and how many databases were copied.
    var applied: [String: Int] { lock.withLock { applications } }
    var clones: Int { lock.withLock { copies } }

    func countApplication(_ path: String) {
        lock.withLock { applications[path, default: 0] += 1 }
    }

    func countClone() {
        lock.withLock { copies += 1 }
    }

    func forget(_ name: String) {
        lock.lock(); defer { lock.unlock() }
        live.remove(name)
    }

    func shutdown() {}
}

final class FakeDatabase: ScratchDatabase {
    let engine: FakeEngine
    let name: String
    var objects: [String: SnapshotObject]
    var rows: [String: [String: String]]
    private var dropped = false

    init(engine: FakeEngine, name: String, objects: [String: SnapshotObject], rows: [String: [String: String]]) {
        self.engine = engine
        self.name = name
        self.objects = objects
        self.rows = rows
    }

    func apply(_ script: PreparedScript) throws {
        engine.countApplication(script.file.displayPath)
        for (index, statement) in script.statements.enumerated() {
            let words = statement.text.split(separator: " ").map(String.init)
            let failure = { (message: String) in
                ScriptFailure(file: script.file.displayPath, line: statement.line, column: 1, statementIndex: index + 1, code: "FAKE", message: message)
            }
            switch words.first {
            case "create", "create!":
                let key = words[1] + " " + words[2]
                if objects[key] != nil {
                    if words[0] == "create!" { throw failure("\(key) already exists") }
                    continue
                }
                objects[key] = SnapshotObject(kind: words[1], name: words[2], definition: words.dropFirst(3).joined(separator: " "))
                if words[1] == "table" { rows[words[2]] = rows[words[2]] ?? [:] }
            case "drop":
                objects[words[1] + " " + words[2]] = nil
                if words[1] == "table" { rows[words[2]] = nil }
            case "insert":
                guard rows[words[1]] != nil else { throw failure("no table \(words[1])") }
                rows[words[1]]![words[2]] = words[3]
            case "delete":
                rows[words[1]]?[words[2]] = nil
            case "fail":
                throw failure(words.dropFirst().joined(separator: " "))
            default:
                throw failure("unknown fake command \(statement.text)")
            }
        }
    }

    /// Nothing here takes a lock: `safety` sees only the row counts, and passes.
    func observeLocks(_ scripts: [PreparedScript], setup: [PreparedScript], inPlace: Bool) throws -> LockObservation {
        LockObservation(rowCounts: rows.mapValues(\.count))
    }

    func validate(_ script: PreparedScript) throws {
        for statement in script.statements {
            let words = statement.text.split(separator: " ").map(String.init)
            if objects[words[1] + " " + words[2]] == nil {
                throw ScriptFailure(file: script.file.displayPath, line: statement.line, message: "expected one row with one column true, got false")
            }
        }
    }

    func snapshot() throws -> SchemaSnapshot {
        SchemaSnapshot(objects: Array(objects.values))
    }

    func fingerprint() throws -> DataFingerprint {
        DataFingerprint(tables: rows.mapValues { table in
            TableData(keyColumns: ["id"], rows: table.map { DataRow(key: "id=\($0.key)", columns: ["id", "value"], values: [$0.key, $0.value]) })
        })
    }

    func clone(label: String) throws -> any ScratchDatabase {
        engine.countClone()
        return FakeDatabase(engine: engine, name: engine.register(label), objects: objects, rows: rows)
    }

    func backupRoundTrip() throws -> SchemaSnapshot {
        try snapshot()
    }

    func drop() {
        guard !dropped else { return }
        dropped = true
        engine.forget(name)
    }
}
