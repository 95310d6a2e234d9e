import Foundation
internal import CLibPQ
import RehearseCore

/// Rehearse's own reads, sent in one round trip and planned once per session.
///
/// A catalog snapshot or a data digest is a handful of fixed, parameterless queries that join half of `pg_catalog`;
/// planning them cost the server more than running them (measured with `pg_stat_statements.track_planning`:
/// 2.4 s of planning against 3.0 s of execution for a 100-migration history). Sent as named prepared statements
/// in libpq's pipeline mode, each is planned the first time this session runs it and never again, and the whole
/// batch still travels in one round trip and runs as one implicit transaction up to its sync, as
/// ``executeBatch(_:)`` does. Statements prepared here are protocol-level (`pg_prepared_statements.from_sql` is
/// false), which lets a session reset drop a script's own prepared statements and keep these
/// (see ``PostgresSessionReset``).
extension PostgresConnection {
    /// One statement of a pipeline: its text and whether to prepare it once and reuse the plan.
    struct PipelinedStatement {
        var sql: String
        var reusable: Bool
    }

    /// Runs `statements` in one pipeline ending in one sync, preparing each reusable statement the first time.
    ///
    /// The statements must each be exactly one statement without transaction control or `COPY`. When a prepared
    /// statement this session had is gone (a script ran `DEALLOCATE ALL` or `DISCARD ALL`), the failure says so with
    /// SQLSTATE 26000 and every name is forgotten, so that the caller's retry prepares them again.
    ///
    /// - Throws: ``PostgresBatchFailure`` naming the statement the server rejected (the statements after it did
    ///   not run); its `error` is `.connection` when the connection is closed or broke.
    func executePipeline(_ statements: [PipelinedStatement]) throws -> [QueryResult] {
        guard let leading = takeLeading() else { return try executePipelineNow(statements) }
        do {
            let first = leading.statements.map { PipelinedStatement(sql: $0, reusable: false) }
            return Array(try executePipelineNow(first + statements).dropFirst(first.count))
        } catch let failure as PostgresBatchFailure {
            throw leading.shifted(failure, of: statements.map(\.sql))
        }
    }

    private func executePipelineNow(_ statements: [PipelinedStatement]) throws -> [QueryResult] {
        let texts = statements.map(\.sql)
        guard let connection else {
            throw PostgresBatchFailure(statementIndex: 0, statements: texts, error: .connection("the connection is closed", target: target.description))
        }
        guard !statements.isEmpty else { return [] }
        guard PQenterPipelineMode(connection) == 1 else {
            throw PostgresBatchFailure(statementIndex: 0, statements: texts, error: connectionFailure())
        }
        // Not after abandonPipeline(at:_:), which finished the connection.
        defer { if self.connection != nil { PQexitPipelineMode(connection) } }
        // What each queued command is: a statement's preparation or its execution.
        enum Queued { case prepare(index: Int, name: String, sql: String), execute(index: Int) }
        var queued: [Queued] = []
        var preparing: [String: String] = [:]
        for (index, statement) in statements.enumerated() {
            let sent: Bool
            if statement.reusable {
                let name: String
                if let known = preparedNames[statement.sql] ?? preparing[statement.sql] {
                    name = known
                } else {
                    name = preparedPrefix + String(preparedNames.count + preparing.count + 1)
                    guard PQsendPrepare(connection, name, statement.sql, 0, nil) == 1 else {
                        throw abandonPipeline(at: index, texts)
                    }
                    preparing[statement.sql] = name
                    queued.append(.prepare(index: index, name: name, sql: statement.sql))
                }
                sent = PQsendQueryPrepared(connection, name, 0, nil, nil, nil, 0) == 1
            } else {
                sent = PQsendQueryParams(connection, statement.sql, 0, nil, nil, nil, nil, 0) == 1
            }
            guard sent else { throw abandonPipeline(at: index, texts) }
            queued.append(.execute(index: index))
        }
        guard PQpipelineSync(connection) == 1 else {
            throw abandonPipeline(at: 0, texts)
        }
        var results: [QueryResult] = []
        var failure: (index: Int, error: PostgresError)?
        for command in queued {
            // Each command's results end with a null result.
            while let current = PQgetResult(connection) {
                withResult(current) { current in
                    let status = PQresultStatus(current)
                    let index: Int
                    switch command {
                    case let .prepare(prepared, name, sql):
                        index = prepared
                        if status == PGRES_COMMAND_OK {
                            preparedNames[sql] = name
                            return
                        }
                    case let .execute(executed):
                        index = executed
                        if status == PGRES_COMMAND_OK {
                            results.append(QueryResult(commandStatus: String(cString: PQcmdStatus(current))))
                            return
                        }
                        if status == PGRES_TUPLES_OK {
                            results.append(Self.rows(of: current))
                            return
                        }
                    }
                    guard status != PGRES_PIPELINE_ABORTED, failure == nil else { return }
                    let error = status == PGRES_FATAL_ERROR || status == PGRES_NONFATAL_ERROR || status == PGRES_BAD_RESPONSE
                        ? Self.error(from: current, target: target)
                        : PostgresError(kind: .server, message: String(cString: PQresStatus(status)))
                    failure = (index, error)
                }
                if PQstatus(connection) != CONNECTION_OK { break }
            }
            if PQstatus(connection) != CONNECTION_OK { break }
        }
        // The sync's own result closes the pipeline.
        while PQstatus(connection) == CONNECTION_OK, let current = PQgetResult(connection) {
            let status = PQresultStatus(current)
            PQclear(current)
            if status == PGRES_PIPELINE_SYNC { break }
        }
        if PQstatus(connection) != CONNECTION_OK, failure == nil || failure?.error.sqlState == nil {
            preparedNames.removeAll()
            failure = (min(results.count, statements.count - 1), connectionFailure())
        }
        if let failure {
            if failure.error.sqlState == Self.undefinedPreparedStatement { preparedNames.removeAll() }
            throw PostgresBatchFailure(statementIndex: failure.index, statements: texts, error: failure.error)
        }
        guard results.count == statements.count else {
            throw PostgresBatchFailure(
                statementIndex: min(results.count, statements.count - 1), statements: texts,
                error: PostgresError(kind: .server, message: "the pipeline of \(statements.count) statements returned \(results.count) results")
            )
        }
        return results
    }

    /// libpq refused to queue a command: the pipeline holds commands whose results will never be read, so the
    /// session cannot be used again. It is closed (a step's transaction with it, which sends the step to copies).
    private func abandonPipeline(at index: Int, _ statements: [String]) -> PostgresBatchFailure {
        let failure = PostgresBatchFailure(statementIndex: index, statements: statements, error: connectionFailure())
        close()
        return failure
    }

    /// SQLSTATE `invalid_sql_statement_name`: the prepared statement named does not exist.
    static let undefinedPreparedStatement = "26000"

    /// Forgets the names of this session's prepared statements, after something dropped them.
    func forgetPreparedStatements() {
        preparedNames.removeAll()
    }
}
