import Foundation
import RehearseCore

/// One scratch database on a MongoDB server, with its own connection; used by one thread at a time.
///
/// Scripts run with `runCommand` on this database, command by command. Snapshots read `listCollections` and
/// `listIndexes` (``snapshot()``), fingerprints read every document (``fingerprint()``).
public final class MongoDatabase: ScratchDatabase {
    public let name: String
    let client: MongoClient
    let engine: MongoEngine
    private var dropped = false

    init(name: String, client: MongoClient, engine: MongoEngine) {
        self.name = name
        self.client = client
        self.engine = engine
    }

    deinit {
        drop()
    }

    /// Runs every command of `script` in order, stopping at the first the server rejects.
    ///
    /// - Throws: ``ScriptFailure`` naming the file, the command's line, column and 1-based index, and
    ///   `MongoDB error <code>` with the server's message. `writeErrors` in an `ok: 1` reply count as a rejection.
    ///
    /// A JavaScript migration (`script.file.entry` set) runs under Node.js instead (``runJavaScript(_:)``).
    public func apply(_ script: PreparedScript) throws {
        if script.file.entry != nil {
            _ = try runJavaScript(script.file)
            return
        }
        for (index, statement) in script.statements.enumerated() {
            do {
                _ = try client.runCommand(database: name, commandJSON: statement.text)
            } catch {
                throw Self.failure(error, script: script, statement: statement, index: index)
            }
        }
    }

    /// Calls the file's exported `up` or `down` with `db` and `client` objects of the shim, each call one command
    /// on this database.
    ///
    /// - Throws: ``ScriptFailure`` for an error the migration did not catch (at the migration's own line), a
    ///   timeout, or an undo that sent no command (an empty rollback); ``EnvironmentError`` without Node.js.
    @discardableResult
    func runJavaScript(_ file: ScriptFile) throws -> NodeRunner.Outcome {
        let runner = NodeRunner(program: try engine.nodeProgram(), shim: try NodeProgram.shimDirectory(), timeout: engine.javaScriptTimeout)
        let outcome = try runner.run(file, on: self)
        if file.role == .undo && outcome.commands == 0 {
            throw ScriptFailure(
                file: file.displayPath,
                message: "empty rollback: \(file.entry ?? "up")() sent no command to the database"
            )
        }
        return outcome
    }

    /// Runs each validator command; its reply must contain the statement's `expectation` (see ``ReplyMatcher``).
    ///
    /// - Throws: ``ScriptFailure`` for a command the server rejected, or one whose reply does not match, with
    ///   the expected document and the reply in `detail`.
    public func validate(_ script: PreparedScript) throws {
        for (index, statement) in script.statements.enumerated() {
            let reply: JSONValue
            do {
                reply = try client.command(database: name, statement.text)
            } catch {
                throw Self.failure(error, script: script, statement: statement, index: index)
            }
            guard let expectationJSON = statement.expectation else { continue }
            let expected: JSONValue
            do {
                // Through libbson, so that {"$numberLong": "1"} in the file and 1 in the reply read alike.
                expected = try ExtendedJSONScanner.parse(BSONDocument(json: expectationJSON).relaxedJSON, file: script.file.displayPath)
            } catch {
                throw ScriptFailure(file: script.file.displayPath, line: statement.line, column: statement.column, statementIndex: index + 1,
                                    message: "the expected document cannot be read: \(error)")
            }
            if let mismatch = ReplyMatcher.mismatch(expected: expected, actual: reply) {
                throw ScriptFailure(
                    file: script.file.displayPath, line: statement.line, column: statement.column, statementIndex: index + 1,
                    message: "validator did not hold: \(mismatch)",
                    detail: "command: \(Self.shortened(statement.text))\nexpected (subset): \(expected.jsonText)\ngot: \(Self.shortened(reply.jsonText))"
                )
            }
        }
    }

    /// Drops the database (`dropDatabase`). Safe to call twice; a server that is gone is not an error here.
    public func drop() {
        guard !dropped else { return }
        dropped = true
        // After shutdown the database was dropped with the rest (or the server is gone): nothing to wait for.
        guard !engine.hasShutDown else { return }
        _ = try? client.runCommand(database: name, commandJSON: #"{"dropDatabase": 1}"#)
        engine.didDrop(name)
    }

    // MARK: - Reading

    /// Runs a command that returns a cursor and follows it with `getMore` to the end.
    func readCursor(_ commandJSON: String, collection: String, canonical: Bool) throws -> [JSONValue] {
        var reply = try client.command(database: name, commandJSON, canonical: canonical)
        var documents = reply["cursor"]?["firstBatch"]?.elements ?? []
        while let id = reply["cursor"]?["id"]?.integerValue, id != 0 {
            let getMore = #"{"getMore": {"$numberLong": "\#(id)"}, "collection": \#(JSONValue.quoted(collection)), "batchSize": 1000}"#
            reply = try client.command(database: name, getMore, canonical: canonical)
            let batch = reply["cursor"]?["nextBatch"]?.elements ?? []
            documents += batch
            if batch.isEmpty && reply["cursor"]?["id"]?.integerValue == id { break }
        }
        return documents
    }

    /// A collection or view as `listCollections` reports it.
    struct CollectionInfo {
        let name: String
        /// `collection`, `view` or `timeseries`.
        let type: String
        let options: [JSONMember]
    }

    /// Every collection and view, `system.*` left out, sorted by name; with `bookkeeping: false`, the engine's
    /// ``MongoEngine/bookkeepingCollections`` are left out too.
    func collections(canonical: Bool = false, bookkeeping: Bool = true) throws -> [CollectionInfo] {
        let hidden = bookkeeping ? [] : engine.bookkeepingCollections
        let documents = try readCursor(#"{"listCollections": 1, "cursor": {}}"#, collection: "$cmd.listCollections", canonical: canonical)
        return documents.compactMap { document -> CollectionInfo? in
            guard let name = document["name"]?.stringValue, !name.hasPrefix("system."), !hidden.contains(name) else { return nil }
            return CollectionInfo(name: name, type: document["type"]?.stringValue ?? "collection", options: document["options"]?.members ?? [])
        }.sorted { $0.name < $1.name }
    }

    /// The index specifications of `collection` as `listIndexes` reports them.
    func indexes(of collection: String, canonical: Bool = false) throws -> [JSONValue] {
        try readCursor(#"{"listIndexes": \#(JSONValue.quoted(collection)), "cursor": {}}"#, collection: collection, canonical: canonical)
    }

    // MARK: - Errors

    private static func failure(_ error: MongoError, script: PreparedScript, statement: ScriptStatement, index: Int) -> ScriptFailure {
        let code: String? = error.isServerVerdict ? "MongoDB error \(error.code)" : nil
        let message = error.isServerVerdict ? error.message : error.description
        let name = (try? ExtendedJSONScanner.parse(statement.text))?.members?.first?.key
        return ScriptFailure(
            file: script.file.displayPath, line: statement.line, column: statement.column, statementIndex: index + 1,
            code: code, message: name.map { "\($0): \(message)" } ?? message
        )
    }

    static func shortened(_ text: String, limit: Int = 2000) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + " …"
    }
}
