import Foundation
import RehearseCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One scratch database on a ``PostgresEngine``, with its own connection; used by one thread at a time.
///
/// The connection opens on first use and closes before the database is copied (a template must have no
/// sessions) or dropped.
public final class PostgresDatabase: ScratchDatabase {
    public let name: String
    public let engine: PostgresEngine
    private var connection: PostgresConnection?
    private var dropped = false
    /// The fast path's open transaction, if one is open (see `PostgresDatabase+Transaction.swift`).
    var step: PostgresStep?
    /// How many steps have begun on this database: names each step in ``PostgresDigestCache/Stamp``.
    var stepSerial = 0
    /// Digests read inside the open step, newest last (see `PostgresDatabase+Digests.swift`).
    var digestCaches: [PostgresDigestCache] = []
    /// Digests the last commit found still true, for the next step; dropped as soon as anything else runs here.
    var carriedDigests: PostgresDigestCache?
    /// Where every sequence stands, known without reading them: set by the last commit of a step, kept by the
    /// in-place `safety` measurement, dropped as soon as anything else runs here (see ``session()``).
    var knownSequences: PostgresSequenceState?
    /// How many tables the last digest inside a step read again: lets a test prove the others were reused.
    var tablesReadByLastDigest = 0
    /// How many tables' states the last digest in a step read from the server (the others' came from its cache).
    var statesReadByLastDigest = 0
    /// How many table states the last step's `BEGIN` read to take over the digests carried across the commit.
    var statesReadAtBegin = 0
    /// The step's last catalog snapshot, or the one the last commit carried (see `PostgresDatabase+Snapshots.swift`).
    var snapshotCache: PostgresSnapshotCache?
    /// The step's last snapshot taken with no branch open, and the ``generation`` it was taken at.
    var snapshotAtTop: (generation: Int, cache: PostgresSnapshotCache)?
    /// Whether the last commit carried that snapshot without reading the catalog; for tests.
    var carriedWithoutRead = false
    /// Counts the uses of the connection that may change the database (``session()``, a session for writing).
    /// Returning to a savepoint (a branch's, a validator's) undoes every change since it was taken, and puts back
    /// the generation it was taken at: a snapshot or a digest taken at the generation there is now still describes
    /// the database.
    var generation = 0
    /// How many relations the last snapshot inside a step read again (nil: it read the whole catalog); for tests.
    var relationsReadByLastSnapshot: Int?
    /// Whether the current user may create the change log's event triggers; asked at the first step.
    var changeLogAllowed: Bool?
    /// Whether the change log's function is committed here, so that a step needs only its triggers.
    var changeLogFunctionCommitted = false
    /// Set once a script here may have written into the catalog tables, which no change log sees: from then on
    /// every snapshot reads the whole catalog.
    var catalogWritesSeen = false
    /// Set by a session reset before a read and kept by reads, which leave the session as they found it; cleared by
    /// anything else that uses the connection. A read on a clean session skips the reset.
    private var sessionIsClean = false

    init(engine: PostgresEngine, name: String) {
        self.engine = engine
        self.name = name
    }

    deinit {
        connection?.close()
    }

    /// Connection parameters for this database.
    public var target: PostgresTarget { engine.target(database: name) }

    /// The database's connection, opened now if it is not open.
    ///
    /// Whatever the caller runs on it outside a step may change data without a trace the next step could see, so
    /// digests carried over a commit, and the sequences known since, are dropped here.
    ///
    /// - Throws: ``PostgresError`` when the connection cannot be opened.
    public func session() throws -> PostgresConnection {
        generation += 1
        if step == nil {
            carriedDigests = nil
            snapshotCache = nil
        }
        knownSequences = nil
        sessionIsClean = false
        return try openConnection()
    }

    /// The connection, opened now if it is not open, for a caller that only reads.
    func openConnection() throws -> PostgresConnection {
        if let connection, connection.transactionStatus != .unknown { return connection }
        connection?.close()
        let fresh = try PostgresConnection(target)
        connection = fresh
        return fresh
    }

    /// Runs one statement on this database's connection.
    @discardableResult
    public func execute(_ sql: String) throws -> QueryResult {
        try session().execute(sql)
    }

    /// Whether the connection is open (a broken one is closed by ``rollBackOpenTransaction(_:)``).
    var isConnected: Bool { connection?.isOpen ?? false }

    /// Closes the connection; the next use opens a new one.
    public func disconnect() {
        sessionIsClean = false
        connection?.close()
        connection = nil
    }

    // MARK: - ScratchDatabase

    /// Validators run in a transaction that is always rolled back, so they may run on the forward result itself.
    public var validatorsLeaveNoTrace: Bool { true }

    /// Runs the script as its layout's tool runs it (``ScriptFile/execution``, see
    /// `PostgresDatabase+Execution.swift`). Like psql, each file starts with a clean session: what an earlier
    /// file SET (search_path, role, …) does not carry over.
    ///
    /// - Throws: ``ScriptFailure`` at the first statement the server rejects (its SQLSTATE, message, detail and
    ///   hint, positioned at the error inside the statement when the server says where), after rolling back
    ///   the open transaction so the connection stays usable; for a file that ends inside a transaction it
    ///   opened; for a Flyway file that mixes statements PostgreSQL cannot run in a transaction with others.
    public func apply(_ script: PreparedScript) throws {
        guard !script.isEmpty else { return }
        if !catalogWritesSeen, script.statements.contains(where: { PostgresCatalogScope.mayWriteCatalog($0.text) }) {
            catalogWritesSeen = true
        }
        if step != nil { return try applyInStep(script) }
        switch try Self.plan(for: script) {
        case .statementByStatement: try applyStatementByStatement(script)
        case .transaction: try applyInTransaction(script)
        case .queryString(let inTransaction): try applyAsQueryString(script, inTransaction: inTransaction)
        }
    }

    /// Sends the statements one at a time, as `psql -v ON_ERROR_STOP=1 -f` does: autocommit, unless the file
    /// itself opens a transaction with BEGIN … COMMIT.
    ///
    /// - Throws: ``ScriptFailure`` at the first statement the server rejects; and when the file ends inside a
    ///   transaction it opened, which is rolled back (psql would silently lose that work).
    func applyStatementByStatement(_ script: PreparedScript) throws {
        let connection = try freshSession()
        // The statement that opened the transaction still open, for the message when the file never commits.
        var opening: (index: Int, statement: ScriptStatement)?
        for (index, statement) in script.statements.enumerated() {
            let before = connection.transactionStatus
            do {
                try connection.executeDiscardingRows(statement.text)
            } catch let error as PostgresError {
                rollBackOpenTransaction(connection)
                throw failure(error, statement: statement, index: index, file: script.file)
            }
            switch connection.transactionStatus {
            case .inTransaction, .inFailedTransaction:
                if before == .idle { opening = (index, statement) }
            default:
                opening = nil
            }
        }
        try requireClosedTransaction(connection, opening: opening, file: script.file)
    }

    /// Fails, after rolling it back, when the file left a transaction open: the tool would lose that work.
    func requireClosedTransaction(_ connection: PostgresConnection, opening: (index: Int, statement: ScriptStatement)?, file: ScriptFile) throws {
        guard connection.transactionStatus == .inTransaction || connection.transactionStatus == .inFailedTransaction else { return }
        rollBackOpenTransaction(connection)
        let started = opening.map { " started at line \($0.statement.line) (\(Self.firstWord(of: $0.statement.text)))" } ?? ""
        throw ScriptFailure(
            file: file.displayPath, line: opening?.statement.line, column: opening?.statement.column,
            statementIndex: opening.map { $0.index + 1 },
            message: "the file ends inside an open transaction\(started); add COMMIT at the end (psql would silently roll this work back)"
        )
    }

    /// Runs a validator inside a transaction that is always rolled back, so a validator can never change the
    /// database. A Sqitch verify script (role ``ScriptFile/Role/verify``) passes when it raises no error (see
    /// ``verify(_:)``). Any other validator holds when every statement succeeds and every statement that returns
    /// rows returns exactly one row with one boolean column that is true; its transaction control (BEGIN,
    /// COMMIT, …) is refused, since it would end that transaction.
    ///
    /// - Throws: ``ScriptFailure`` for a statement that failed (with its SQLSTATE) or did not hold (no code,
    ///   the message saying what came back).
    public func validate(_ script: PreparedScript) throws {
        if script.file.role == .verify { return try verify(script) }
        let file = script.file.displayPath
        for (index, statement) in script.statements.enumerated() where PostgresScriptParser.isTransactionControl(statement.text) {
            throw ScriptFailure(
                file: file, line: statement.line, column: statement.column, statementIndex: index + 1,
                message: "\(Self.firstWord(of: statement.text)) is not allowed in a validator: validators run inside a transaction that Rehearse rolls back, so they cannot change the database"
            )
        }
        let scope = try ValidatorScope(opening: self)
        defer { scope.close() }
        let connection = scope.connection
        for (index, statement) in script.statements.enumerated() {
            let result: QueryResult
            do {
                // Two rows are enough to tell that a statement did not return exactly one.
                result = try connection.execute(statement.text, keepingRows: 2)
            } catch let error as PostgresError {
                throw failure(error, statement: statement, index: index, file: script.file)
            }
            guard result.returnsRows else { continue }
            if let problem = Self.assertionProblem(result) {
                throw ScriptFailure(
                    file: file, line: statement.line, column: statement.column, statementIndex: index + 1,
                    message: "expected one row with one column true, got \(problem)",
                    detail: "the validator was: " + Self.excerpt(statement.text)
                )
            }
        }
    }

    /// The statement as the user wrote it, shortened to one readable line for a failure message.
    static func excerpt(_ statement: String, limit: Int = 160) -> String {
        let line = statement.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return line.count <= limit ? line : String(line.prefix(limit)) + " …"
    }

    /// Reads on a clean session, so a role or setting a script left behind cannot hide rows or objects.
    public func snapshot() throws -> SchemaSnapshot {
        if step != nil { return try snapshotInStep() }
        let connection = try freshSession(reading: true)
        return try PostgresCatalogReader(connection: connection).snapshot()
    }

    public func fingerprint() throws -> DataFingerprint {
        let connection = try freshSession(reading: true)
        return try PostgresDataReader(connection: connection).fingerprint()
    }

    /// Per table its row count and a digest of its rows, in one round trip (see ``PostgresDataReader/dataDigest()``).
    public func dataDigest() throws -> DataFingerprint {
        if step != nil { return try digestInStep() }
        let connection = try freshSession(reading: true)
        return try PostgresDataReader(connection: connection).dataDigest()
    }

    /// A file copy of this database (`CREATE DATABASE … TEMPLATE`); this database's connection is closed first
    /// and reopens on next use.
    ///
    /// - Throws: ``EnvironmentError`` with the server's reason.
    public func clone(label: String) throws -> any ScratchDatabase {
        try copy(label: label)
    }

    /// ``clone(label:)`` with its concrete type.
    public func copy(label: String) throws -> PostgresDatabase {
        if step != nil { throw TransactionObstacle("\(name) cannot be copied while a step's transaction is open") }
        disconnect()
        return PostgresDatabase(engine: engine, name: try engine.createDatabase(label: label, template: name))
    }

    /// `pg_dump -Fc` of this database, `pg_restore --no-owner --exit-on-error` into a fresh database, and that
    /// database's snapshot; the fresh database is dropped.
    ///
    /// - Throws: ``BackupUnavailable`` when pg_dump or pg_restore is missing or older than the server;
    ///   ``ScriptFailure`` with the tool's output when the dump or the restore fails.
    public func backupRoundTrip() throws -> SchemaSnapshot {
        guard let pgDump = engine.program("pg_dump"), let pgRestore = engine.program("pg_restore") else {
            throw BackupUnavailable("pg_dump and pg_restore are not installed (apt-get install postgresql-client)")
        }
        try Self.requireVersion(of: pgDump, atLeast: engine.serverVersionNumber)
        let temporary = try TemporaryDirectory(prefix: "rehearse-dump-")
        defer { temporary.remove() }
        let directory = temporary.url
        let dumpFile = directory.appendingPathComponent("\(name).dump")

        let dump = ExternalCommand(
            executable: pgDump, arguments: ["--format=custom", "--file=\(dumpFile.path)", "--dbname=\(name)"],
            environment: target.toolEnvironment, droppedVariablePrefixes: engine.droppedToolVariablePrefixes, currentDirectory: directory, timeout: 600
        )
        try Self.runTool(dump, what: "pg_dump of \(name)")

        let restored = try engine.newDatabase(label: "restore")
        defer { restored.drop() }
        let restore = ExternalCommand(
            executable: pgRestore, arguments: ["--no-owner", "--exit-on-error", "--dbname=\(restored.name)", dumpFile.path],
            environment: restored.target.toolEnvironment, droppedVariablePrefixes: engine.droppedToolVariablePrefixes, currentDirectory: directory, timeout: 600
        )
        try Self.runTool(restore, what: "pg_restore into \(restored.name)")
        return try restored.snapshot()
    }

    /// Closes the connection and drops the database (`DROP DATABASE … WITH (FORCE)`). Safe to call twice.
    public func drop() {
        guard !dropped else { return }
        dropped = true
        disconnect()
        engine.dropDatabase(named: name)
    }

    // MARK: - Helpers

    /// The connection with its session state reset (``PostgresSessionReset``), as a new psql session would have it.
    ///
    /// `reading`: the caller only reads, so digests carried to the next step stay true.
    func freshSession(reading: Bool = false) throws -> PostgresConnection {
        try freshSession(reading: reading, thenReading: nil).connection
    }

    /// ``freshSession(reading:)``, then `query` run on it: outside a step, in the round trip of the reset when the
    /// session needs one (the two are one implicit transaction, as the reset alone is).
    func freshSession(reading: Bool, thenReading query: String?) throws -> (connection: PostgresConnection, read: QueryResult?) {
        let (connection, resetsNow) = try takeFreshSession(reading: reading)
        guard resetsNow else { return (connection, try query.map { try connection.execute($0) }) }
        let read = try PostgresSessionReset.apply(on: connection, thenReading: query)
        sessionIsClean = reading
        return (connection, read)
    }

    /// The connection for ``freshSession(reading:thenReading:)``, and whether it still needs the reset that goes
    /// on its own, outside a step; inside one the reset is queued in front of the next command.
    private func takeFreshSession(reading: Bool) throws -> (connection: PostgresConnection, resetsNow: Bool) {
        if !reading { generation += 1 }
        if reading, sessionIsClean, let connection, connection.transactionStatus == (step == nil ? .idle : .inTransaction) {
            return (connection, false)
        }
        // In a step, a session nothing but reads used since its reset is as fresh as a new reset would make it.
        if step != nil, sessionIsClean, let connection, connection.transactionStatus == .inTransaction {
            sessionIsClean = false
            return (connection, false)
        }
        sessionIsClean = false
        guard step != nil else {
            let connection = try reading ? openConnection() : session()
            rollBackOpenTransaction(connection)
            return (connection, true)
        }
        // Inside the fast path's transaction: the same reset, without leaving the transaction, in front of the
        // caller's next command, in its round trip.
        guard let open = self.connection, open.transactionStatus == .inTransaction else {
            throw TransactionObstacle("the step's transaction was lost")
        }
        PostgresSessionReset.applyWithNextCommand(on: open, keepingChangeLog: step?.changeLog != nil)
        sessionIsClean = reading
        return (open, false)
    }

    func rollBackOpenTransaction(_ connection: PostgresConnection) {
        switch connection.transactionStatus {
        case .inTransaction, .inFailedTransaction:
            _ = try? connection.execute("ROLLBACK")
        case .unknown:
            disconnect()
        default:
            break
        }
    }

    func failure(_ error: PostgresError, statement: ScriptStatement, index: Int, file: ScriptFile) -> ScriptFailure {
        let (line, column) = error.position.map { statement.location(ofCharacter: $0) } ?? (statement.line, statement.column)
        var failure = ScriptFailure(
            file: file.displayPath, line: line, column: column, statementIndex: index + 1,
            code: error.code, message: error.kind == .connection ? "lost the connection: \(error.message)" : error.message,
            detail: error.detail, hint: error.hint, context: error.context
        )
        failure.isEnvironmental = error.isEnvironmental
        return failure
    }

    /// Why a validator's row set is not exactly one true boolean, or nil when it is.
    static func assertionProblem(_ result: QueryResult) -> String? {
        guard result.rowCount == 1, result.rows.count == 1 else { return "\(result.rowCount) rows" }
        guard result.columns.count == 1 else { return "\(result.columns.count) columns" }
        guard let value = result.rows[0][0] else { return "NULL" }
        guard result.columnTypes.first == QueryResult.booleanType else {
            return "'\(value)', which is not a boolean (write the check as a condition, e.g. SELECT count(*) = 0 FROM …)"
        }
        return value == "t" ? nil : "false"
    }

    static func firstWord(of text: String) -> String {
        String(text.prefix { !$0.isWhitespace && $0 != ";" }).uppercased()
    }

    private static func runTool(_ command: ExternalCommand, what: String) throws {
        let outcome = try command.run()
        guard outcome.succeeded else {
            let status = outcome.timedOut ? "timed out" : "exit status \(outcome.status)"
            throw ScriptFailure(file: command.executable.lastPathComponent, message: "\(what) failed (\(status)): \(outcome.output)")
        }
    }

    /// pg_dump refuses servers newer than itself; that is a missing tool, not a failed check.
    private static func requireVersion(of pgDump: URL, atLeast serverVersion: Int) throws {
        let outcome = try ExternalCommand(executable: pgDump, arguments: ["--version"], droppedVariablePrefixes: ["PG"], timeout: 30).run()
        // "pg_dump (PostgreSQL) 15.14 (Debian 15.14-1.pgdg120+1)"
        let words = outcome.output.split(separator: " ")
        guard let versionWord = words.dropFirst(2).first, let major = Int(versionWord.split(separator: ".").first ?? "") else { return }
        let serverMajor = serverVersion >= 100_000 ? serverVersion / 10_000 : serverVersion / 100
        let toolMajor = major >= 10 ? major : major * 100 + (Int(versionWord.split(separator: ".").dropFirst().first ?? "") ?? 0)
        if toolMajor < serverMajor {
            throw BackupUnavailable("\(pgDump.path) is version \(versionWord), older than the server (\(serverVersion)); install a pg_dump at least as new as the server or set REHEARSE_PG_BIN")
        }
    }
}
