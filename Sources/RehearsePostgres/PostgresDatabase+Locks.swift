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
        /// ``fileState`` when the table was listed.
        let file: String
    }

    public func observeLocks(_ scripts: [PreparedScript], setup: [PreparedScript], inPlace: Bool) throws -> LockObservation {
        // In place everything is rolled back and the sequences are set back, so the data is as it was: digests
        // carried to the next step stay true once that is done.
        let carried = inPlace ? carriedDigests : nil
        let carriedSnapshot = inPlace ? snapshotCache : nil
        let known = inPlace ? knownSequences : nil
        let connection = try freshSession()
        // nextval is not rolled back: in place, the sequences are read first (or known since the last commit) and
        // those the measurement locked, the only ones it can have moved, are set back afterwards.
        let sequences = inPlace ? try known ?? PostgresSequenceState.read(connection) : nil
        let observation: Result<LockObservation, any Error>
        var touched: Set<String>?
        do {
            try connection.execute("BEGIN")
            observation = .success(try measure(scripts, setup: setup, inPlace: inPlace, on: connection))
            if inPlace {
                // The locks and the rollback in one round trip; the transaction block is open, so the batch only
                // ends it (when this fails, the rollback below does).
                let results = try? connection.executeBatch([PostgresHeldLocks.relationsSQL, "ROLLBACK"])
                touched = results.map { Set($0[0].rows.compactMap { $0.first ?? nil }) }
            }
        } catch {
            observation = .failure(error)
        }
        rollBackOpenTransaction(connection)
        try sequences?.restore(on: session(), only: touched)
        if inPlace, isConnected, connection.transactionStatus == .idle {
            carriedDigests = carried
            snapshotCache = carriedSnapshot
            knownSequences = sequences
        }
        return try observation.get()
    }

    /// The measurement itself, inside the transaction `connection` has open.
    ///
    /// First without generated rows, inside a savepoint: a statement can only lock, rewrite or read a table it
    /// touches, and touching one takes a lock. When every table the statements touched holds rows, that is the
    /// observation. When some are empty, the statements are measured again with generated rows in the empty tables
    /// they touch, until they touch no empty table left without them (``measureFillingTouchedTables``). When a
    /// statement failed, or that does not settle, they are measured with generated rows in every empty table, as
    /// before. Either way the observation names only touched tables.
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
        // A statement that commits on its own ends the savepoint too: such a migration is measured the full way.
        let commitsItself = scripts.contains { script in script.statements.contains(where: \.nonTransactional) }
        if !commitsItself, let first = try measureWithoutGeneratedRows(scripts, inPlace: inPlace, on: connection) {
            switch first {
            case let .observed(observation):
                return observation
            case let .touchedEmpty(pass):
                if let observation = try measureFillingTouchedTables(scripts, after: pass, inPlace: inPlace, on: connection) {
                    return observation
                }
            }
        }
        return try measureFillingEveryEmptyTable(scripts, inPlace: inPlace, on: connection)
    }

    /// What the first pass found: the observation, or the pass itself when a table it touched is empty.
    private enum FirstPass {
        case observed(LockObservation)
        case touchedEmpty(PassByOid)
    }

    /// One pass of the statements measured by oid (``passByOid(_:in:inPlace:on:)``): the observation with its
    /// tables named and their rows counted, and the touched user tables with their rows.
    private struct PassByOid {
        var observation: LockObservation
        var touched: [(table: Table, rows: Int)]
    }

    /// The statements measured by oid inside `savepoint`, which is rolled back; then the touched oids that are the
    /// user's own tables named (as they were before the statements, the rollback having given renamed tables their
    /// names back and taken away those the statements made) and their rows counted. Nil when a statement failed.
    ///
    /// The savepoint, the file states and the locks held go in one round trip; so do the rollback, the naming and
    /// the counts.
    private func passByOid(_ scripts: [PreparedScript], in savepoint: String, inPlace: Bool, on connection: PostgresConnection) throws -> PassByOid? {
        connection.sendFirst(["SAVEPOINT \(savepoint)"])
        let opening = try Self.ownReads([Self.relationFilesSQL, HeldRelations.query], on: connection)
        let relations = Self.relationFiles(from: opening[0])
        let held = HeldRelations(rows: opening[1], names: Set(relations.map(\.oid)))
        let pass = Result { try observeStatements(scripts, tables: relations, held: held, inPlace: inPlace, on: connection) }
        guard case let .success(byOid) = pass else {
            try connection.execute("ROLLBACK TO SAVEPOINT \(savepoint)")
            return nil
        }
        // The rollback goes in front of the next command: the naming, or whatever comes next when nothing was touched.
        connection.sendFirst(["ROLLBACK TO SAVEPOINT \(savepoint)"])
        let touched = try userTables(connection, oids: byOid.touched)
        var observation = Self.naming(byOid, Dictionary(uniqueKeysWithValues: touched.map { ($0.table.oid, $0.table.name) }))
        observation.rowCounts = Dictionary(uniqueKeysWithValues: touched.map { ($0.table.name, $0.rows) })
        return PassByOid(observation: observation, touched: touched)
    }

    /// The measurement with generated rows in every empty table of the database, the way before the first pass.
    private func measureFillingEveryEmptyTable(_ scripts: [PreparedScript], inPlace: Bool, on connection: PostgresConnection) throws -> LockObservation {
        let tables = try preexistingTables(connection)
        var rowCounts: [String: Int] = [:]
        var generated: [String] = []
        for (table, count) in zip(tables, try self.rowCounts(connection, tables)) {
            var count = count
            if count == 0 {
                count = try generateRows(in: table, on: connection)
                if count > 0 { generated.append(table.name) }
            }
            rowCounts[table.name] = count
        }
        // The files and scan counts as the statements find them: counting every table scanned each one, which
        // read before would show as a scan by the first statement to lock it.
        let files = Dictionary(try relationFiles(connection).map { ($0.oid, $0.file) }, uniquingKeysWith: { one, _ in one })
        let counted = tables.map { Table(oid: $0.oid, name: $0.name, quoted: $0.quoted, file: files[$0.oid] ?? $0.file) }
        var observation = try observeStatements(scripts, tables: counted, inPlace: inPlace, on: connection)
        let touched = observation.touched
        observation.rowCounts = rowCounts.filter { touched.contains($0.key) }
        observation.generatedRows = generated.filter(touched.contains)
        return observation
    }

    /// A rewrite of an empty table is not measurable by its effect on rows; a few generated rows make it a table
    /// with data, when its columns all have defaults or allow NULL. Each insert is a savepoint of its own so that
    /// one the table refuses leaves the transaction usable. Returns how many went in (at most three).
    private func generateRows(in table: Table, on connection: PostgresConnection) throws -> Int {
        var count = 0
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
        return count
    }

    /// The second way, after a first pass that touched an empty table: generated rows in the empty tables the
    /// statements touched, and the statements measured again by oid. Generated rows can only matter in a table a
    /// statement reads, which it locks, so a table the statements do not touch is left as it is; when the rows
    /// make them touch an empty table more (a trigger that fires per row), it is added and the measurement runs
    /// again, up to four times. When no generated row goes in (every empty table has a column without a default
    /// that refuses NULL), the database is as the first pass found it, so that pass is the measurement. Nil when a
    /// statement fails or that does not settle: then every empty table is filled. Filling every empty table listed and counted every table of the database before every such
    /// measurement, a third of a history's steps; every debug build still measures that way too and compares.
    private func measureFillingTouchedTables(_ scripts: [PreparedScript], after first: PassByOid, inPlace: Bool, on connection: PostgresConnection) throws -> LockObservation? {
        var candidates = Dictionary(uniqueKeysWithValues: first.touched.map { ($0.table.oid, $0.table) })
        // The first round starts where the first pass did, so its counts hold; later rounds count their candidates.
        var known: [String: Int]? = Dictionary(uniqueKeysWithValues: first.touched.map { ($0.table.oid, $0.rows) })
        for round in 0..<4 {
            try connection.execute("SAVEPOINT rehearse_fill")
            let ordered = candidates.values.sorted { $0.oid < $1.oid }
            let counts = try known.map { known in ordered.map { known[$0.oid] ?? 0 } } ?? rowCounts(connection, ordered)
            known = nil
            var generated: Set<String> = []
            for (table, count) in zip(ordered, counts) where count == 0 {
                if try generateRows(in: table, on: connection) > 0 { generated.insert(table.name) }
            }
            if round == 0, generated.isEmpty {
                try connection.execute("ROLLBACK TO SAVEPOINT rehearse_fill")
                try checkAgainstFillingEveryEmptyTable(first.observation, scripts, inPlace: inPlace, on: connection)
                return first.observation
            }
            // The counts are as before the statements, with the generated rows.
            let pass = try passByOid(scripts, in: "rehearse_filled", inPlace: inPlace, on: connection)
            try connection.execute("ROLLBACK TO SAVEPOINT rehearse_fill")
            guard let pass else { return nil }
            let unfilled = pass.touched.filter { $0.rows == 0 && candidates[$0.table.oid] == nil }.map(\.table)
            guard unfilled.isEmpty else {
                for table in unfilled { candidates[table.oid] = table }
                continue
            }
            var observation = pass.observation
            observation.generatedRows = pass.touched.map(\.table.name).filter(generated.contains)
            try checkAgainstFillingEveryEmptyTable(observation, scripts, inPlace: inPlace, on: connection)
            return observation
        }
        return nil
    }

    /// In every debug build: `observation` must be what filling every empty table measures.
    private func checkAgainstFillingEveryEmptyTable(_ observation: LockObservation, _ scripts: [PreparedScript], inPlace: Bool, on connection: PostgresConnection) throws {
        #if DEBUG
        try connection.execute("SAVEPOINT rehearse_measure_all")
        let everyTable = Result { try measureFillingEveryEmptyTable(scripts, inPlace: inPlace, on: connection) }
        try connection.execute("ROLLBACK TO SAVEPOINT rehearse_measure_all")
        if case let .success(expected) = everyTable {
            precondition(expected == observation, "the measurement filling the touched tables differs from the one filling every table: \(observation) against \(expected)")
        }
        #endif
    }

    /// The first pass of ``measure(_:setup:inPlace:on:)``, inside a savepoint that is rolled back; nil when a
    /// statement failed.
    ///
    /// It lists no table by name beforehand: only the file state of every relation that may be a table
    /// (``relationFiles(_:)``), the observation naming relations by oid. After the rollback, which gives renamed
    /// tables their names back and takes away those the statements made, the touched oids that are the user's own
    /// tables get their names (``userTables(_:oids:)``) and the others are left out. Listing every table with its
    /// name, schema and dependencies before each measurement cost more with every table a history made.
    private func measureWithoutGeneratedRows(_ scripts: [PreparedScript], inPlace: Bool, on connection: PostgresConnection) throws -> FirstPass? {
        guard let pass = try passByOid(scripts, in: "rehearse_measure", inPlace: inPlace, on: connection) else { return nil }
        guard pass.touched.allSatisfy({ $0.rows > 0 }) else { return .touchedEmpty(pass) }
        #if DEBUG
        // Every debug build proves the pass by oid against the same pass with every table listed by name first.
        try connection.execute("SAVEPOINT rehearse_measure")
        let named = Result { try observeStatements(scripts, tables: preexistingTables(connection), inPlace: inPlace, on: connection) }
        try connection.execute("ROLLBACK TO SAVEPOINT rehearse_measure")
        if case let .success(expected) = named {
            precondition(expected.statements == pass.observation.statements, "the measurement by oid differs from the one by name: \(pass.observation) against \(expected)")
        }
        #endif
        return .observed(pass.observation)
    }

    /// `observation`, measured with oids for names, with each oid of `names` named and every other left out.
    private static func naming(_ observation: LockObservation, _ names: [String: String]) -> LockObservation {
        func named(_ modes: [String: [String]]) -> [String: [String]] {
            Dictionary(modes.compactMap { oid, modes in names[oid].map { ($0, modes) } }, uniquingKeysWith: { first, _ in first })
        }
        var renamed = observation
        renamed.statements = observation.statements.map { statement in
            var statement = statement
            statement.locks = named(statement.locks)
            statement.heldLocks = named(statement.heldLocks)
            statement.rewritten = statement.rewritten.compactMap { names[$0] }.sorted()
            statement.scanned = statement.scanned.compactMap { names[$0] }.sorted()
            return statement
        }
        return renamed
    }

    /// Rehearse's own fixed reads of the measurement, in one round trip with whatever waits to go in front of them
    /// (``PostgresConnection/sendFirst(_:)``): prepared once per session, so that they are not planned again for
    /// every statement of every step, and with `settings` for them alone (``PostgresCatalogSession/pinnedBatch(_:reads:reusable:on:)``).
    private static func ownReads(_ reads: [String], settings: [(name: String, value: String)] = [], on connection: PostgresConnection) throws -> [[[String?]]] {
        do {
            return try PostgresCatalogSession.pinnedBatch(settings, reads: reads, reusable: true, on: PostgresCatalogSession.Batch(connection))
        } catch let failure as PostgresBatchFailure {
            throw failure.error
        }
    }

    /// The file state of every relation that may be a table, outside the system schemas, each named by its oid.
    private static let relationFilesSQL = """
        SELECT c.oid::text, \(fileState) FROM pg_catalog.pg_class c \
        WHERE c.relkind IN ('r', 'p', 'm') AND c.relnamespace NOT IN (SELECT n.oid FROM pg_catalog.pg_namespace n \
        WHERE NOT \(PostgresCatalogExclusions.userSchema("n.nspname")))
        """

    private static func relationFiles(from rows: [[String?]]) -> [Table] {
        rows.compactMap { row -> Table? in
            guard row.count == 2, let oid = row[0], let file = row[1] else { return nil }
            return Table(oid: oid, name: oid, quoted: "", file: file)
        }
    }

    private func relationFiles(_ connection: PostgresConnection) throws -> [Table] {
        Self.relationFiles(from: try Self.ownReads([Self.relationFilesSQL], on: connection)[0])
    }

    /// The setting, local to one read, with the oids ``userTablesSQL`` names: an `oid[]` literal.
    private static let userTablesSetting = "rehearse.safety_tables"

    /// The tables of ``userTablesSetting`` that are the user's own, with their rows counted inside the read's
    /// savepoint, whose rollback takes the count's share locks away again, so that they do not hide the same locks
    /// taken by the statements measured after.
    private static let userTablesSQL = """
        SELECT c.oid::text, n.nspname, c.relname, (pg_catalog.xpath('/row/c/text()', pg_catalog.query_to_xml(\
        pg_catalog.format('SELECT count(*) AS c FROM ONLY %I.%I', n.nspname, c.relname), false, true, '')))[1]::pg_catalog.text \
        FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
        WHERE c.oid = ANY (pg_catalog.current_setting('\(userTablesSetting)')::pg_catalog.oid[]) AND c.relkind IN ('r', 'p', 'm') \
        AND \(PostgresCatalogExclusions.userSchema("n.nspname")) AND \(standaloneByIndex) ORDER BY 2, 3
        """

    /// Of `oids`, the user's own tables (as ``preexistingTables(_:)`` lists them), with their names now and their
    /// rows, in one round trip with what waits to go in front (which, when `oids` is empty, waits for the next command).
    private func userTables(_ connection: PostgresConnection, oids: Set<String>) throws -> [(table: Table, rows: Int)] {
        guard !oids.isEmpty else { return [] }
        let list = "{" + oids.compactMap { UInt32($0) }.sorted().map(String.init).joined(separator: ",") + "}"
        return try Self.ownReads([Self.userTablesSQL], settings: [(Self.userTablesSetting, list)], on: connection)[0].compactMap { row in
            guard row.count == 4, let oid = row[0], let schema = row[1], let name = row[2] else { return nil }
            let table = Table(oid: oid, name: schema + "." + name, quoted: PostgresEngine.quoted(schema) + "." + PostgresEngine.quoted(name), file: "")
            return (table, row[3].flatMap { Int($0) } ?? 0)
        }
    }

    /// The tables that exist now, with their file and scan count (``HeldRelations``).
    private func preexistingTables(_ connection: PostgresConnection) throws -> [Table] {
        try connection.execute(
            """
            SELECT c.oid::text, n.nspname, c.relname, \(Self.fileState) FROM pg_catalog.pg_class c \
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
            WHERE c.relkind IN ('r', 'p', 'm') AND \(PostgresCatalogExclusions.userSchema("n.nspname")) \
            AND \(Self.standaloneByIndex) ORDER BY 2, 3
            """
        ).rows.compactMap { row -> Table? in
            guard row.count == 4, let oid = row[0], let schema = row[1], let name = row[2], let file = row[3] else { return nil }
            return Table(oid: oid, name: schema + "." + name, quoted: PostgresEngine.quoted(schema) + "." + PostgresEngine.quoted(name), file: file)
        }
    }

    /// ``PostgresCatalogExclusions/standalone(catalog:oid:)`` for the tables, a lookup per table in `pg_depend`'s
    /// index (`OFFSET 0`): as an anti join the planner hashed all of `pg_depend`, which grows with the history, for
    /// every measurement (0.6 ms of 1.6 at 1 000 migrations).
    static let standaloneByIndex = PostgresCatalogExclusions.standalone(catalog: "pg_class", oid: "c.oid", byIndex: true)

    /// A relation's file and how often this transaction scanned it: a rewrite changes the first, an index build or
    /// a constraint's validation the second.
    private static let fileState = "c.relfilenode::pg_catalog.text || ' ' || pg_catalog.pg_stat_get_xact_numscans(c.oid)::pg_catalog.text"

    /// The relation locks this backend holds, with the file state of each locked relation.
    private struct HeldRelations {
        var locks: Set<[String]> = []
        var files: [String: String] = [:]

        static let query = """
            SELECT l.relation::pg_catalog.text, l.mode, \(fileState) FROM pg_catalog.pg_locks l \
            JOIN pg_catalog.pg_class c ON c.oid = l.relation \
            WHERE \(PostgresHeldLocks.condition)
            """

        /// What rows of ``query`` say is held, of the tables in `names`.
        init(rows: [[String?]], names: Set<String>) {
            for row in rows where row.count == 3 {
                guard let oid = row[0], names.contains(oid), let mode = row[1] else { continue }
                locks.insert([oid, mode])
                if let file = row[2] { files[oid] = file }
            }
        }

        /// What is held now, of the tables in `names`.
        static func read(_ connection: PostgresConnection, names: [String: String]) throws -> HeldRelations {
            HeldRelations(rows: try ownReads([query], on: connection)[0], names: Set(names.keys))
        }
    }

    /// Runs every statement of `scripts`, reading between statements which locks each took and which tables it
    /// rewrote or read through. A table's file and scan count change only under a lock this transaction holds
    /// until it ends, so after each statement only the locked tables are read again; the others keep the state
    /// read with `tables`. A statement that runs outside the transaction is the exception: every table is read
    /// again around it.
    /// `held` is what is held as the statements start, when the caller read it already.
    private func observeStatements(_ scripts: [PreparedScript], tables: [Table], held start: HeldRelations? = nil, inPlace: Bool, on connection: PostgresConnection) throws -> LockObservation {
        let names = Dictionary(tables.map { ($0.oid, $0.name) }, uniquingKeysWith: { first, _ in first })
        var files = Dictionary(tables.map { ($0.oid, $0.file) }, uniquingKeysWith: { first, _ in first })
        var observation = LockObservation()
        var held = try start ?? HeldRelations.read(connection, names: names)
        // What is locked already may have changed since `tables` was read (a generated row's foreign key check
        // scans the table it references): it starts from now.
        files.merge(held.files) { _, now in now }
        for script in scripts {
            // Locks are held until the end of the transaction the statement runs in when forward really runs: the
            // whole file for one sent in a transaction or as one query string, else the file's own BEGIN … COMMIT,
            // else the statement alone. What earlier statements of that transaction still hold is recorded too.
            let wholeFile = ((try? Self.plan(for: script)) ?? .transaction) != .statementByStatement
            var transactionStart = held.locks
            var ownTransaction = false
            for (index, statement) in script.statements.enumerated() {
                if script.unsplittable == nil, let kind = PostgresScriptParser.transactionKind(of: statement.text) {
                    // Not sent: the measurement is one transaction. Forward's transaction starts or ends here.
                    if ["TRANS_STMT_BEGIN", "TRANS_STMT_START"].contains(kind) {
                        ownTransaction = true
                        transactionStart = held.locks
                    } else if ["TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK", "TRANS_STMT_PREPARE"].contains(kind) {
                        ownTransaction = false
                        transactionStart = held.locks
                    }
                    continue
                }
                var record = StatementLocks(file: script.file.displayPath, line: statement.line, excerpt: Self.excerpt(statement.text))
                let locksBefore = held.locks
                if !wholeFile, !ownTransaction { transactionStart = locksBefore }
                for pair in locksBefore.subtracting(transactionStart) where StatementLocks.writeBlocking.contains(pair[1]) {
                    guard let name = names[pair[0]] else { continue }
                    record.heldLocks[name, default: []].append(pair[1])
                }
                var changed: [(oid: String, before: String, after: String)] = []
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
                        let before = Dictionary(try preexistingTables(connection).map { ($0.oid, $0.file) }, uniquingKeysWith: { first, _ in first })
                        try connection.execute("COMMIT")
                        try connection.execute(statement.text)
                        try connection.execute("BEGIN")
                        held = try HeldRelations.read(connection, names: names)
                        transactionStart = held.locks
                        files = Dictionary(try preexistingTables(connection).map { ($0.oid, $0.file) }, uniquingKeysWith: { first, _ in first })
                        changed = before.compactMap { oid, was in files[oid].flatMap { $0 == was ? nil : (oid, was, $0) } }
                        record.heldLocks = [:]
                        record.outsideTransaction = true
                        record.assumedMode = Self.designedMode(of: statement.text)
                    } else {
                        try connection.execute(statement.text)
                        held = try HeldRelations.read(connection, names: names)
                        for (oid, now) in held.files {
                            if let was = files[oid], was != now { changed.append((oid, was, now)) }
                            files[oid] = now
                        }
                    }
                } catch let error as PostgresError {
                    throw failure(error, statement: statement, index: index, file: script.file)
                }
                for pair in held.locks.subtracting(locksBefore) {
                    guard let name = names[pair[0]] else { continue }
                    record.locks[name, default: []].append(pair[1])
                }
                for (oid, before, after) in changed {
                    guard let name = names[oid] else { continue }
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

    /// The rows of each of `tables` (the user's own, as ``preexistingTables(_:)`` lists them), counted as
    /// ``userTables(_:oids:)`` counts them.
    private func rowCounts(_ connection: PostgresConnection, _ tables: [Table]) throws -> [Int] {
        let counted = Dictionary(try userTables(connection, oids: Set(tables.map(\.oid))).map { ($0.table.oid, $0.rows) }, uniquingKeysWith: { one, _ in one })
        return tables.map { counted[$0.oid] ?? 0 }
    }

    /// The lock a statement that cannot run in a transaction takes by design, or nil when not known here.
    static func designedMode(of statement: String) -> String? {
        let words = statement.uppercased().split(whereSeparator: { $0.isWhitespace || $0 == "(" }).prefix(4).map(String.init)
        if words.contains("CONCURRENTLY") { return "ShareUpdateExclusiveLock" }
        if words.first == "VACUUM" { return words.contains("FULL") ? "AccessExclusiveLock" : "ShareUpdateExclusiveLock" }
        return nil
    }
}
