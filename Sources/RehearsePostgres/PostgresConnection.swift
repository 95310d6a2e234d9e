import Foundation
import Synchronization
internal import CLibPQ
import RehearseCore

/// One libpq connection, used by one thread at a time.
///
/// Owns its `PGconn`: ``close()`` finishes it and is safe to call twice; `deinit` is only a safety net.
/// Statements go through the simple query protocol (`PQexec`), exactly as psql sends them; results come back
/// as text. Server notices (RAISE NOTICE, WARNINGs) are collected in ``notices``.
public final class PostgresConnection {
    /// Where the session stands between statements, as `PQtransactionStatus` reports it.
    public enum TransactionStatus: Sendable, Equatable {
        case idle
        /// A statement is running (only seen from another thread).
        case active
        case inTransaction
        /// Inside a transaction block that hit an error; only ROLLBACK is accepted.
        case inFailedTransaction
        /// The connection is closed or broken.
        case unknown
    }

    /// What the connection was opened to, password included (never shown).
    public let target: PostgresTarget
    private(set) var connection: OpaquePointer?
    private let noticeSink = NoticeSink()
    /// How many rows this connection has turned into Swift strings: lets a test prove that a path which has no
    /// use for a statement's rows never converts them.
    public internal(set) var convertedRowCount = 0
    /// Rehearse's own statements prepared on this session, by their text: their names (see
    /// `PostgresConnection+Pipeline.swift`). Emptied when the session closes or its prepared statements are dropped.
    var preparedNames: [String: String] = [:]
    /// Statements waiting to go in front of the next command (`PostgresConnection+Leading.swift`).
    var leadingStatements: [String] = []
    /// Whether a query string sent with the simple protocol, on any session of this process, mentioned `prepare` (in
    /// any case): only then can a session hold prepared statements of a script's, which a reset must deallocate. A
    /// function that prepares one was created by such a text too, maybe on another session, so the answer is the
    /// process's. Rehearse's own reads are prepared at the protocol level and never count.
    var scriptsMayHavePrepared: Bool { Self.preparedWordSeen.load(ordering: .relaxed) }
    private static let preparedWordSeen = Atomic<Bool>(false)
    /// Makes this session's prepared names unlikely to meet a name a script chose.
    let preparedPrefix = "rehearse_read_" + String(UInt32.random(in: 0...UInt32.max), radix: 16) + "_"

    /// Connects to `target`.
    ///
    /// - Throws: ``PostgresError`` of kind `.connection` with libpq's reason and the target as `host:port/db`.
    public init(_ target: PostgresTarget) throws {
        self.target = target
        let connection = target.withConnectionParameters { keywords, values in
            PQconnectdbParams(keywords, values, 0)
        }
        guard let connection else {
            throw PostgresError.connection("out of memory", target: target.description)
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let reason = String(cString: PQerrorMessage(connection)).trimmingTrailingNewlines
            PQfinish(connection)
            throw PostgresError.connection(reason, target: target.description)
        }
        self.connection = connection
        let sink = Unmanaged.passUnretained(noticeSink).toOpaque()
        PQsetNoticeReceiver(connection, { argument, result in
            guard let argument, let result else { return }
            Unmanaged<NoticeSink>.fromOpaque(argument).takeUnretainedValue().receive(result)
        }, sink)
    }

    deinit {
        close()
    }

    /// Closes the connection; later calls do nothing.
    public func close() {
        if let connection {
            PQfinish(connection)
            self.connection = nil
        }
        preparedNames.removeAll()
        leadingStatements = []
    }

    public var isOpen: Bool { connection != nil }

    /// The server's version as `major.minor`, e.g. `15.20` (or `9.6.24` for old servers).
    public var serverVersion: String {
        let number = serverVersionNumber
        guard number > 0 else { return "unknown" }
        if number >= 100_000 { return "\(number / 10_000).\(number % 10_000)" }
        return "\(number / 10_000).\(number / 100 % 100).\(number % 100)"
    }

    /// `PQserverVersion`: 150020 for 15.20; 0 when closed.
    public var serverVersionNumber: Int {
        connection.map { Int(PQserverVersion($0)) } ?? 0
    }

    public var transactionStatus: TransactionStatus {
        guard let connection else { return .unknown }
        switch PQtransactionStatus(connection) {
        case PQTRANS_IDLE: return .idle
        case PQTRANS_ACTIVE: return .active
        case PQTRANS_INTRANS: return .inTransaction
        case PQTRANS_INERROR: return .inFailedTransaction
        default: return .unknown
        }
    }

    /// Notices the server sent since the last ``clearNotices()``, oldest first.
    public var notices: [PostgresNotice] { noticeSink.notices }

    public func clearNotices() {
        noticeSink.notices.removeAll()
    }

    /// Sends `sql` with the simple query protocol and waits for its result.
    ///
    /// `sql` should be one statement: several statements in one string would run as one implicit transaction.
    /// `COPY … FROM STDIN` is refused (scripts cannot carry inline data here); `COPY … TO STDOUT` output is discarded.
    ///
    /// - Throws: ``PostgresError``: `.server` with the server's fields, `.connection` when the connection is closed or broke.
    @discardableResult
    public func execute(_ sql: String) throws -> QueryResult {
        guard let connection else {
            throw PostgresError.connection("the connection is closed", target: target.description)
        }
        // Leading statements make it a query string of several (which places a failure in the caller's part).
        guard leadingStatements.isEmpty else {
            do {
                return try executeQueryString(sql)
            } catch let failure as QueryStringFailure {
                throw failure.error
            }
        }
        note(sql)
        let result = PQexec(connection, sql)
        if result == nil {
            throw connectionFailure()
        }
        let drained = drain(connection, from: result)
        if let failure = drained.failure { throw failure }
        return drained.outcome ?? QueryResult()
    }

    /// Sends `sql`, which may hold several statements, as one query string (PostgreSQL runs it as one implicit
    /// transaction unless it holds its own transaction control), and says how far it got.
    ///
    /// - Returns: the result of the last statement.
    /// - Throws: ``QueryStringFailure`` with the server's or libpq's error and how many statements completed before it.
    @discardableResult
    func executeQueryString(_ sql: String) throws -> QueryResult {
        guard let connection else {
            throw QueryStringFailure(completed: 0, error: .connection("the connection is closed", target: target.description))
        }
        note(sql)
        let leading = takeLeading()
        guard PQsendQuery(connection, (leading?.text ?? "") + sql) == 1 else {
            throw QueryStringFailure(completed: 0, error: connectionFailure())
        }
        let drained = drain(connection, from: PQgetResult(connection))
        if let failure = drained.failure {
            let whole = QueryStringFailure(completed: drained.completed, error: failure)
            throw leading?.shifted(whole) ?? whole
        }
        return drained.outcome ?? QueryResult()
    }

    /// Sends `statements` as one query string (one round trip) and returns one result per statement, in order.
    ///
    /// Outside a transaction block PostgreSQL runs the whole string as one implicit transaction (so
    /// `set_config(…, true)` lasts until the last statement and a failure undoes every earlier one); inside a block
    /// the statements join it, and a failure aborts it as any failed statement would. The statements must not hold
    /// transaction control or `COPY`, and each must be exactly one statement (a trailing `;` is allowed), so that
    /// results and statements pair up.
    ///
    /// - Throws: ``PostgresBatchFailure`` naming the statement the server rejected (the statements after it did
    ///   not run), or a count mismatch; its `error` is `.connection` when the connection is closed or broke.
    public func executeBatch(_ statements: [String]) throws -> [QueryResult] {
        guard let leading = takeLeading() else { return try executeBatchNow(statements) }
        do {
            return Array(try executeBatchNow(leading.statements + statements).dropFirst(leading.statements.count))
        } catch let failure as PostgresBatchFailure {
            throw leading.shifted(failure, of: statements)
        }
    }

    private func executeBatchNow(_ statements: [String]) throws -> [QueryResult] {
        statements.forEach(note)
        guard let connection else {
            throw PostgresBatchFailure(statementIndex: 0, statements: statements, error: .connection("the connection is closed", target: target.description))
        }
        let trimmed = statements.map(Self.withoutTrailingSemicolons)
        if let empty = trimmed.firstIndex(where: \.isEmpty) {
            throw PostgresBatchFailure(statementIndex: empty, statements: statements, error: PostgresError(kind: .server, message: "an empty statement cannot be part of a batch"))
        }
        guard !trimmed.isEmpty else { return [] }
        guard PQsendQuery(connection, trimmed.joined(separator: ";\n")) == 1 else {
            throw PostgresBatchFailure(statementIndex: 0, statements: statements, error: connectionFailure())
        }
        var results: [QueryResult] = []
        var failure: PostgresError?
        while let current = PQgetResult(connection) {
            withResult(current) { current in
                switch PQresultStatus(current) {
                case PGRES_COMMAND_OK:
                    results.append(QueryResult(commandStatus: String(cString: PQcmdStatus(current))))
                case PGRES_TUPLES_OK:
                    results.append(Self.rows(of: current))
                case PGRES_COPY_IN:
                    PQputCopyEnd(connection, "COPY is not supported in a batch")
                case PGRES_COPY_OUT:
                    var buffer: UnsafeMutablePointer<CChar>?
                    while PQgetCopyData(connection, &buffer, 0) > 0 {
                        PQfreemem(buffer)
                        buffer = nil
                    }
                    failure = failure ?? PostgresError(kind: .server, message: "COPY is not supported in a batch")
                case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
                    failure = failure ?? Self.error(from: current, target: target)
                default:
                    failure = failure ?? PostgresError(kind: .server, message: String(cString: PQresStatus(PQresultStatus(current))))
                }
            }
        }
        if PQstatus(connection) != CONNECTION_OK, failure == nil || failure?.sqlState == nil {
            failure = connectionFailure()
        }
        if let failure {
            throw PostgresBatchFailure(statementIndex: min(results.count, statements.count - 1), statements: statements, error: failure)
        }
        guard results.count == statements.count else {
            throw PostgresBatchFailure(
                statementIndex: min(results.count, statements.count - 1), statements: statements,
                error: PostgresError(kind: .server, message: "the batch of \(statements.count) statements returned \(results.count) results; each element must be exactly one statement")
            )
        }
        return results
    }

    /// Records whether `sql` may prepare a statement (``scriptsMayHavePrepared``).
    func note(_ sql: String) {
        guard !scriptsMayHavePrepared, Self.mentionsPrepare(sql) else { return }
        Self.preparedWordSeen.store(true, ordering: .relaxed)
    }

    /// Whether `sql` holds the word `prepare` in any case, anywhere (a comment included: a cheap over-estimate).
    static func mentionsPrepare(_ sql: String) -> Bool {
        sql.containsIgnoringASCIICase("prepare")
    }

    /// `SELECT 1;; ` reads `SELECT 1`: an empty statement between semicolons returns no result of its own.
    private static func withoutTrailingSemicolons(_ statement: String) -> String {
        var text = Substring(statement)
        while let last = text.last, last == ";" || last.isWhitespace { text.removeLast() }
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        return String(text)
    }

    /// Reads every result of the query that produced `first`, keeping the last outcome and the first error and
    /// counting the statements that completed; then checks that the connection survived.
    private func drain(_ connection: OpaquePointer, from first: OpaquePointer?) -> (outcome: QueryResult?, failure: PostgresError?, completed: Int) {
        var outcome: QueryResult?
        var failure: PostgresError?
        var completed = 0
        var result = first
        // PQexec hands back the last result; COPY needs its own protocol before the command completes.
        while let current = result {
            withResult(current) { current in
                switch PQresultStatus(current) {
                case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
                    outcome = QueryResult(commandStatus: String(cString: PQcmdStatus(current)))
                    if failure == nil { completed += 1 }
                case PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE:
                    outcome = Self.rows(of: current)
                    convertedRowCount += outcome?.rows.count ?? 0
                    if failure == nil { completed += 1 }
                case PGRES_COPY_IN, PGRES_COPY_OUT:
                    Self.endCopy(PQresultStatus(current), on: connection)
                case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
                    failure = failure ?? Self.error(from: current, target: target)
                default:
                    failure = failure ?? PostgresError(kind: .server, message: String(cString: PQresStatus(PQresultStatus(current))))
                }
            }
            result = PQgetResult(connection)
        }
        if PQstatus(connection) != CONNECTION_OK, failure == nil || failure?.sqlState == nil {
            failure = connectionFailure()
        }
        return (outcome, failure, completed)
    }

    /// Lends `result` to `body` and clears it afterwards: the one place results are freed.
    func withResult<T>(_ result: OpaquePointer, _ body: (OpaquePointer) throws -> T) rethrows -> T {
        defer { PQclear(result) }
        return try body(result)
    }

    func connectionFailure() -> PostgresError {
        let reason = connection.map { String(cString: PQerrorMessage($0)).trimmingTrailingNewlines } ?? ""
        return .connection(reason.isEmpty ? "the connection was lost" : reason, target: target.description)
    }

    static func rows(of result: OpaquePointer) -> QueryResult {
        let columnCount = PQnfields(result)
        let rowCount = PQntuples(result)
        let columns = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
        let types = (0..<columnCount).map { UInt32(PQftype(result, $0)) }
        let rows: [[String?]] = (0..<rowCount).map { row in
            (0..<columnCount).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            }
        }
        return QueryResult(columns: columns, columnTypes: types, rows: rows, commandStatus: String(cString: PQcmdStatus(result)), returnsRows: true)
    }

    /// Maps a failed result to ``PostgresError``: the one function that reads libpq's error fields.
    /// A COPY the script started: `FROM STDIN` is ended with an error (scripts carry no inline data here), `TO STDOUT`
    /// output is read and discarded.
    static func endCopy(_ status: ExecStatusType, on connection: OpaquePointer) {
        if status == PGRES_COPY_IN {
            PQputCopyEnd(connection, "COPY FROM STDIN is not supported by Rehearse: load data with INSERT or COPY FROM a server file")
            return
        }
        var buffer: UnsafeMutablePointer<CChar>?
        while PQgetCopyData(connection, &buffer, 0) > 0 {
            PQfreemem(buffer)
            buffer = nil
        }
    }

    static func error(from result: OpaquePointer, target: PostgresTarget) -> PostgresError {
        let fields = DiagnosticFields(result)
        guard let message = fields.message else {
            let text = String(cString: PQresultErrorMessage(result)).trimmingTrailingNewlines
            return .connection(text.isEmpty ? "the server sent no error message" : text, target: target.description)
        }
        return PostgresError(
            kind: .server, sqlState: fields.sqlState, severity: fields.severity,
            message: timeoutExplanation(sqlState: fields.sqlState, message: message, timeouts: target.sessionTimeouts).map { "\($0): \(message)" } ?? message,
            detail: fields.detail, hint: fields.hint, position: fields.position, context: fields.context
        )
    }

    /// `statement_timeout (5m) expired` for a statement the server cancelled for taking too long (SQLSTATE
    /// 57014) and `lock_timeout (1m) expired` for one that waited too long for a lock (55P03), so the reader
    /// knows which limit fired and which option raises it; nil for every other error.
    static func timeoutExplanation(sqlState: String?, message: String, timeouts: SessionTimeouts?) -> String? {
        switch sqlState {
        case "57014" where message.contains("statement timeout"):
            let value = timeouts.map { " (\(DurationText.format($0.statement)))" } ?? ""
            return "statement_timeout\(value) expired (raise it with --statement-timeout)"
        case "55P03" where message.contains("lock timeout"):
            let value = timeouts.map { " (\(DurationText.format($0.lock)))" } ?? ""
            return "lock_timeout\(value) expired (raise it with --lock-timeout)"
        default:
            return nil
        }
    }
}

/// The diagnostic fields of an error or notice result.
private struct DiagnosticFields {
    var severity: String?
    var sqlState: String?
    var message: String?
    var detail: String?
    var hint: String?
    var position: Int?
    var context: String?

    init(_ result: OpaquePointer) {
        func field(_ code: UInt8) -> String? {
            PQresultErrorField(result, Int32(code)).map { String(cString: $0) }
        }
        severity = field(UInt8(ascii: "V")) ?? field(UInt8(ascii: "S"))
        sqlState = field(UInt8(ascii: "C"))
        message = field(UInt8(ascii: "M"))
        detail = field(UInt8(ascii: "D"))
        hint = field(UInt8(ascii: "H"))
        position = field(UInt8(ascii: "P")).flatMap { Int($0) }
        context = field(UInt8(ascii: "W"))
    }
}

/// Receives notices from libpq's callback; owned by the connection, so it outlives the `PGconn`.
private final class NoticeSink {
    var notices: [PostgresNotice] = []

    func receive(_ result: OpaquePointer) {
        let fields = DiagnosticFields(result)
        let message = fields.message ?? String(cString: PQresultErrorMessage(result)).trimmingTrailingNewlines
        notices.append(PostgresNotice(severity: fields.severity ?? "NOTICE", sqlState: fields.sqlState, message: message, detail: fields.detail, hint: fields.hint))
    }
}

/// A query string of several statements failed: the error, and how many of its statements completed before it.
struct QueryStringFailure: Error {
    var completed: Int
    var error: PostgresError
}
