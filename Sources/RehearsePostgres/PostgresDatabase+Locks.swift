import RehearseCore

/// The `safety` check's measurement: which locks each forward statement takes on the tables that existed before
/// the migration, read from `pg_locks` of this backend between statements, and which tables it rewrote (their
/// `relfilenode` changed). Runs on a scratch copy, or in place in a transaction that is rolled back.
extension PostgresDatabase {
    /// A pre-existing table: its oid and `schema.table`.
    private struct Table {
        let oid: String
        let name: String
        let quoted: String
    }

    public func observeLocks(_ scripts: [PreparedScript], setup: [PreparedScript], inPlace: Bool) throws -> LockObservation {
        // In place everything is rolled back and the sequences are set back, so the data is as it was: digests
        // carried to the next step stay true once that is done.
        let carried = inPlace ? carriedDigests : nil
        let carriedSnapshot = inPlace ? snapshotCache : nil
        let connection = try freshSession()
        // nextval is not rolled back: in place, the sequences are read first and set back afterwards.
        let sequences = inPlace ? try PostgresSequenceState.read(connection) : nil
        let observation: Result<LockObservation, any Error>
        do {
            try connection.execute("BEGIN")
            observation = .success(try measure(scripts, setup: setup, inPlace: inPlace, on: connection))
        } catch {
            observation = .failure(error)
        }
        rollBackOpenTransaction(connection)
        try sequences?.restore(on: session())
        if inPlace, isConnected, connection.transactionStatus == .idle {
            carriedDigests = carried
            snapshotCache = carriedSnapshot
        }
        return try observation.get()
    }

    /// The measurement itself, inside the transaction `connection` has open.
    private func measure(_ scripts: [PreparedScript], setup: [PreparedScript], inPlace: Bool, on connection: PostgresConnection) throws -> LockObservation {
        for script in setup {
            for (index, statement) in script.statements.enumerated() where PostgresScriptParser.transactionKind(of: statement.text) == nil {
                do {
                    try connection.execute(statement.text)
                } catch let error as PostgresError {
                    throw failure(error, statement: statement, index: index, file: script.file)
                }
            }
        }
        let tables = try connection.execute(
            """
            SELECT c.oid::text, n.nspname, c.relname FROM pg_catalog.pg_class c \
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
            WHERE c.relkind IN ('r', 'p', 'm') AND \(PostgresCatalogExclusions.userSchema("n.nspname")) \
            AND \(PostgresCatalogExclusions.standalone(catalog: "pg_class", oid: "c.oid")) ORDER BY 2, 3
            """
        ).rows.compactMap { row -> Table? in
            guard row.count == 3, let oid = row[0], let schema = row[1], let name = row[2] else { return nil }
            return Table(oid: oid, name: schema + "." + name, quoted: PostgresEngine.quoted(schema) + "." + PostgresEngine.quoted(name))
        }
        var observation = LockObservation()
        for (table, count) in zip(tables, try rowCounts(connection, tables)) {
            var count = count
            if count == 0 {
                // A rewrite of an empty table is not measurable by its effect on rows; a few generated rows make it
                // a table with data, when its columns all have defaults or allow NULL. Each insert is a savepoint
                // of its own so that one the table refuses leaves the transaction usable.
                for _ in 0..<3 {
                    do {
                        _ = try connection.executeQueryString(
                            "SAVEPOINT rehearse_rows; INSERT INTO \(table.quoted) DEFAULT VALUES; RELEASE SAVEPOINT rehearse_rows"
                        )
                        count += 1
                    } catch {
                        try connection.execute("ROLLBACK TO SAVEPOINT rehearse_rows")
                        break
                    }
                }
                if count > 0 { observation.generatedRows.append(table.name) }
            }
            observation.rowCounts[table.name] = count
        }
        let names = Dictionary(tables.map { ($0.oid, $0.name) }, uniquingKeysWith: { first, _ in first })
        let oidList = tables.isEmpty ? "NULL" : tables.map { "'\($0.oid)'" }.joined(separator: ", ")
        let lockQuery = """
            SELECT l.relation::text, l.mode FROM pg_catalog.pg_locks l \
            WHERE l.pid = pg_catalog.pg_backend_pid() AND l.granted AND l.locktype = 'relation' \
            AND l.relation::text IN (\(oidList))
            """
        // The relfilenode (a rewrite changes it) and how often this transaction scanned the table (an index build,
        // a constraint's validation), in one line per table.
        let fileQuery = """
            SELECT c.oid::text, c.relfilenode::text || ' ' || pg_catalog.pg_stat_get_xact_numscans(c.oid)::text \
            FROM pg_catalog.pg_class c WHERE c.oid::text IN (\(oidList))
            """
        func locks() throws -> Set<[String]> {
            Set(try connection.execute(lockQuery).rows.compactMap { row in
                guard row.count == 2, let oid = row[0], let mode = row[1] else { return nil }
                return [oid, mode]
            })
        }
        func fileNodes() throws -> [String: String] {
            var result: [String: String] = [:]
            for row in try connection.execute(fileQuery).rows where row.count == 2 {
                if let oid = row[0], let node = row[1] { result[oid] = node }
            }
            return result
        }
        for script in scripts {
            // Locks are held until the end of the transaction the statement runs in when forward really runs: the
            // whole file for one sent in a transaction or as one query string, else the file's own BEGIN … COMMIT,
            // else the statement alone. What earlier statements of that transaction still hold is recorded too.
            let wholeFile = ((try? Self.plan(for: script)) ?? .transaction) != .statementByStatement
            var transactionStart = try locks()
            var ownTransaction = false
            for (index, statement) in script.statements.enumerated() {
                if script.unsplittable == nil, let kind = PostgresScriptParser.transactionKind(of: statement.text) {
                    if ["TRANS_STMT_BEGIN", "TRANS_STMT_START"].contains(kind) {
                        ownTransaction = true
                        transactionStart = try locks()
                    } else if ["TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK", "TRANS_STMT_PREPARE"].contains(kind) {
                        // Forward's locks end here; what is held now was taken before its next transaction.
                        ownTransaction = false
                        transactionStart = try locks()
                    }
                    continue
                }
                var record = StatementLocks(file: script.file.displayPath, line: statement.line, excerpt: Self.excerpt(statement.text))
                let nodesBefore = try fileNodes()
                let locksBefore = try locks()
                if !wholeFile, !ownTransaction { transactionStart = locksBefore }
                for pair in locksBefore.subtracting(transactionStart) where StatementLocks.writeBlocking.contains(pair[1]) {
                    guard let name = names[pair[0]] else { continue }
                    record.heldLocks[name, default: []].append(pair[1])
                }
                do {
                    if statement.nonTransactional {
                        guard !inPlace else {
                            throw ScriptFailure(
                                file: script.file.displayPath, line: statement.line, column: statement.column, statementIndex: index + 1,
                                message: "cannot be measured in place: PostgreSQL runs it only outside a transaction"
                            )
                        }
                        // PostgreSQL refuses it in a transaction: it runs on its own, where its locks cannot be
                        // read between statements; what it takes by design is recorded instead.
                        try connection.execute("COMMIT")
                        try connection.execute(statement.text)
                        try connection.execute("BEGIN")
                        transactionStart = try locks()
                        record.heldLocks = [:]
                        record.outsideTransaction = true
                        record.assumedMode = Self.designedMode(of: statement.text)
                    } else {
                        try connection.execute(statement.text)
                    }
                } catch let error as PostgresError {
                    throw failure(error, statement: statement, index: index, file: script.file)
                }
                for pair in try locks().subtracting(locksBefore) {
                    guard let name = names[pair[0]] else { continue }
                    record.locks[name, default: []].append(pair[1])
                }
                let nodesAfter = try fileNodes()
                for (oid, before) in nodesBefore {
                    guard let after = nodesAfter[oid], after != before, let name = names[oid] else { continue }
                    let (beforeNode, afterNode) = (before.split(separator: " ").first, after.split(separator: " ").first)
                    if beforeNode != afterNode { record.rewritten.append(name) } else { record.scanned.append(name) }
                }
                record.locks = record.locks.mapValues { $0.sorted() }
                record.heldLocks = record.heldLocks.mapValues { $0.sorted() }
                record.rewritten.sort()
                record.scanned.sort()
                observation.statements.append(record)
            }
        }
        return observation
    }

    /// The rows of every table, in one query inside a savepoint that is rolled back, so that the share locks the
    /// counts take do not hide the same locks taken by the statements measured after.
    private func rowCounts(_ connection: PostgresConnection, _ tables: [Table]) throws -> [Int] {
        guard !tables.isEmpty else { return [] }
        try connection.execute("SAVEPOINT rehearse_count")
        let select = "SELECT " + tables.map { "(SELECT count(*) FROM ONLY \($0.quoted))::text" }.joined(separator: ", ")
        let row = try connection.execute(select).rows.first ?? []
        try connection.execute("ROLLBACK TO SAVEPOINT rehearse_count")
        return tables.indices.map { index in row.indices.contains(index) ? row[index].flatMap { Int($0) } ?? 0 : 0 }
    }

    /// The lock a statement that cannot run in a transaction takes by design, or nil when not known here.
    static func designedMode(of statement: String) -> String? {
        let words = statement.uppercased().split(whereSeparator: { $0.isWhitespace || $0 == "(" }).prefix(4).map(String.init)
        if words.contains("CONCURRENTLY") { return "ShareUpdateExclusiveLock" }
        if words.first == "VACUUM" { return words.contains("FULL") ? "AccessExclusiveLock" : "ShareUpdateExclusiveLock" }
        return nil
    }
}
