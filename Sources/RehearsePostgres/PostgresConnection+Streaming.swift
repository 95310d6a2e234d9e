internal import CLibPQ

/// Statements whose rows the caller does not need, read one row at a time and let go.
///
/// `PQexec` makes libpq hold a whole row set before it returns, and ``PostgresConnection/execute(_:)`` then turns
/// every value into a Swift string: a migration step that selects two million rows would hold them twice. Here
/// the query is sent with `PQsendQuery` in single-row mode (`PQsetSingleRowMode`), so libpq hands each row over
/// as it arrives and it is freed at once; only the command tag, the column descriptions, the row count and the
/// first `limit` rows are kept. Errors, notices, COPY handling and the count of completed statements are those of
/// ``PostgresConnection/execute(_:)`` and ``PostgresConnection/executeQueryString(_:)``.
extension PostgresConnection {
    /// Runs `sql` (one statement) like ``execute(_:)`` but converts none of its rows: the result has the command
    /// tag, the columns and ``QueryResult/rowCount``, and no ``QueryResult/rows``.
    ///
    /// - Throws: ``PostgresError``, as ``execute(_:)`` throws it.
    @discardableResult
    public func executeDiscardingRows(_ sql: String) throws -> QueryResult {
        try execute(sql, keepingRows: 0)
    }

    /// Runs `sql` (one statement) like ``execute(_:)`` but converts at most its first `limit` rows; the others are
    /// counted in ``QueryResult/rowCount`` and freed as they arrive. A validator needs two rows to know that a
    /// statement did not return exactly one.
    ///
    /// - Throws: ``PostgresError``, as ``execute(_:)`` throws it.
    @discardableResult
    public func execute(_ sql: String, keepingRows limit: Int) throws -> QueryResult {
        let read = try send(sql, keepingRows: limit)
        if let failure = read.failure { throw failure }
        return read.outcome ?? QueryResult()
    }

    /// Sends `sql`, which may hold several statements, as one query string like ``executeQueryString(_:)``, but
    /// converts none of the rows its statements return.
    ///
    /// - Returns: the last statement's command tag, columns and row count.
    /// - Throws: ``QueryStringFailure`` with the server's or libpq's error and how many statements completed before it.
    @discardableResult
    func executeQueryStringDiscardingRows(_ sql: String) throws -> QueryResult {
        let read: Streamed
        do {
            read = try send(sql, keepingRows: 0)
        } catch let error as PostgresError {
            throw QueryStringFailure(completed: 0, error: error)
        }
        if let failure = read.failure { throw QueryStringFailure(completed: read.completed, error: failure) }
        return read.outcome ?? QueryResult()
    }

    /// What ``send(_:keepingRows:)`` read: the last statement's outcome, the first error, the statements completed.
    private struct Streamed {
        var outcome: QueryResult?
        var failure: PostgresError?
        var completed = 0
    }

    /// Sends `sql` in single-row mode and reads every result it produces, keeping at most `limit` rows of each
    /// row set; then checks that the connection survived.
    ///
    /// - Throws: ``PostgresError`` of kind `.connection` when the query could not be sent at all.
    private func send(_ sql: String, keepingRows limit: Int) throws -> Streamed {
        guard let connection else {
            throw PostgresError.connection("the connection is closed", target: target.description)
        }
        note(sql)
        let leading = takeLeading()
        guard PQsendQuery(connection, (leading?.text ?? "") + sql) == 1 else { throw connectionFailure() }
        // Refused only when the query could not start; then the results still come, whole.
        _ = PQsetSingleRowMode(connection)
        var read = Streamed()
        // The row set being received: single-row mode sends each row as its own result, then an empty
        // PGRES_TUPLES_OK carrying the command tag.
        var rows = QueryResult(returnsRows: true)
        var started = false
        while let current = PQgetResult(connection) {
            withResult(current) { current in
                switch PQresultStatus(current) {
                case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
                    read.outcome = QueryResult(commandStatus: String(cString: PQcmdStatus(current)))
                    if read.failure == nil { read.completed += 1 }
                case PGRES_SINGLE_TUPLE:
                    if !started { (rows, started) = (Self.columns(of: current), true) }
                    take(current, into: &rows, limit: limit)
                case PGRES_TUPLES_OK:
                    if !started { rows = Self.columns(of: current) }
                    take(current, into: &rows, limit: limit)
                    rows.commandStatus = String(cString: PQcmdStatus(current))
                    read.outcome = rows
                    (rows, started) = (QueryResult(returnsRows: true), false)
                    if read.failure == nil { read.completed += 1 }
                case PGRES_COPY_IN, PGRES_COPY_OUT:
                    Self.endCopy(PQresultStatus(current), on: connection)
                case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
                    read.failure = read.failure ?? Self.error(from: current, target: target)
                    (rows, started) = (QueryResult(returnsRows: true), false)
                default:
                    read.failure = read.failure ?? PostgresError(kind: .server, message: String(cString: PQresStatus(PQresultStatus(current))))
                }
            }
        }
        if PQstatus(connection) != CONNECTION_OK, read.failure == nil || read.failure?.sqlState == nil {
            read.failure = connectionFailure()
        }
        if let leading {
            read.completed = max(0, read.completed - leading.statements.count)
            read.failure = read.failure.map { error in leading.shifted(error) }
        }
        return read
    }

    /// Counts the rows of `result` and converts those that fit under `limit`.
    private func take(_ result: OpaquePointer, into rows: inout QueryResult, limit: Int) {
        let count = Int(PQntuples(result))
        let kept = max(0, min(count, limit - rows.rows.count))
        for row in 0..<kept {
            rows.rows.append((0..<rows.columns.count).map { column in
                let (row, column) = (Int32(row), Int32(column))
                return PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            })
        }
        convertedRowCount += kept
        rows.rowCount += count
    }

    /// The column names and types of a row set, with no rows yet.
    private static func columns(of result: OpaquePointer) -> QueryResult {
        let columnCount = PQnfields(result)
        return QueryResult(
            columns: (0..<columnCount).map { String(cString: PQfname(result, $0)) },
            columnTypes: (0..<columnCount).map { UInt32(PQftype(result, $0)) },
            returnsRows: true
        )
    }
}
