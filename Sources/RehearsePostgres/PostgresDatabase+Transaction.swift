import Foundation
import RehearseCore

/// The fast path on PostgreSQL: a subject's checks inside one transaction, with savepoints for the branches
/// (DESIGN.md, "How checks run"). Any check that does not pass there is rehearsed again on copies, so these
/// functions only need to be exact when everything succeeds; the obstacles keep out what would behave
/// differently inside one transaction even then.
extension PostgresDatabase: TransactionalDatabase {
    public func transactionObstacle(in scripts: [PreparedScript]) -> String? {
        for script in scripts {
            if script.unsplittable != nil { return "a file the parser could not split" }
            if script.file.entry != nil { return "a JavaScript migration" }
            for statement in script.statements {
                if statement.nonTransactional {
                    if Self.runsOutsideTransactionBlocks(script), ConcurrentIndexStatement(statement) != nil { continue }
                    return PostgresScriptParser.tree(of: statement.text).flatMap(NonTransactionalStatement.label(of:))
                        ?? "a statement PostgreSQL refuses in a transaction"
                }
                if let obstacle = Self.obstacle(statement, in: script) { return obstacle }
            }
        }
        return nil
    }

    /// Whether, on copies, every statement of `script` runs on its own outside a transaction block: psql's way, in a
    /// file without transaction control of its own. Only there does `CREATE INDEX CONCURRENTLY` succeed, so only
    /// there may the fast path run its plain form (``ConcurrentIndexStatement``).
    static func runsOutsideTransactionBlocks(_ script: PreparedScript) -> Bool {
        guard script.unsplittable == nil, (try? plan(for: script)) == .statementByStatement else { return false }
        return !script.statements.contains { PostgresScriptParser.transactionWords.contains(firstWord(of: $0.text)) }
    }

    /// What in one statement keeps the subject off the fast path: transaction control other than a file's own
    /// BEGIN … COMMIT in psql's autocommit mode; statements PostgreSQL allows only inside a transaction block
    /// (which autocommit would refuse); deferrable constraints, which one long transaction would check later; a
    /// change to `track_counts`, which the step's digests rely on.
    static func obstacle(_ statement: ScriptStatement, in script: PreparedScript) -> String? {
        if statement.text.containsIgnoringASCIICase("deferrable") { return "a deferrable constraint" }
        // Digests inside the step trust the server's row counts (PostgresDigestCache).
        if statement.text.containsIgnoringASCIICase("track_counts") { return "a change to track_counts" }
        let word = firstWord(of: statement.text)
        let autocommit = script.file.execution == .autocommit && script.file.role != .validator && script.file.role != .verify
        switch word {
        case _ where PostgresScriptParser.transactionWords.contains(word):
            guard let control = PostgresScriptParser.transactionStatement(of: statement.text) else { return nil }
            // Verify scripts translate their own transaction control already; validators refuse it on both paths.
            if script.file.role == .verify || script.file.role == .validator { return nil }
            let kind = control["kind"].string ?? ""
            let simple = ["TRANS_STMT_BEGIN", "TRANS_STMT_START", "TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK"].contains(kind)
            guard autocommit, simple, control["chain"].bool != true else { return "transaction control (\(word)) in \(script.file.execution)" }
            return nil
        case "LOCK", "DECLARE":
            return autocommit ? "\(word) outside a transaction block" : nil
        default:
            return nil
        }
    }

    public func beginStep() throws {
        precondition(step == nil, "a step is already open on \(name)")
        let known = knownSequences
        // In the round trip of the session's reset.
        let (connection, read) = try freshSession(
            reading: true,
            thenReading: """
                SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE condeferrable) \
                OR EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgdeferrable), \
                EXISTS (SELECT 1 FROM pg_catalog.pg_event_trigger e WHERE \(PostgresChangeLog.notItsOwn("e.evtname")))
                """
        )
        let found = read?.rows.first ?? []
        if found.first == "t" { throw TransactionObstacle("a deferrable constraint") }
        let sequences = try known ?? PostgresSequenceState.read(connection)
        #if DEBUG
        // Every debug build proves the sequences known since the last commit against a read.
        if let known {
            let read = try PostgresSequenceState.read(connection)
            precondition(known == read, "the sequences known since the last commit differ from a read")
        }
        #endif
        // A user's event trigger would fire on the change log's own DDL (an audit trigger would record it), so a
        // database with one keeps no log: its snapshots are read whole.
        let log = try beginWithChangeLog(on: connection, userEventTriggers: found.count > 1 && found[1] == "t")
        stepSerial += 1
        digestCaches = []
        step = PostgresStep(sequencesAtStart: sequences)
        step?.changeLog = log
        if log == nil || snapshotCache?.step != stepSerial { snapshotCache = nil }
        do {
            try rebaseCarriedDigests()
        } catch {
            // The step's transaction may be unusable; the caller's next statement meets the same failure.
            digestCaches = []
        }
    }

    public func openBranch() throws {
        guard var current = step else { throw TransactionObstacle("no step is open") }
        let start = generation
        let connection = try freshSession()
        let name = current.savepointName("branch")
        let sequences = try PostgresSequenceState.read(connection, since: current.sequencesAtStart)
        #if DEBUG
        // Every debug build proves the locked read against a whole one. The whole read locks every sequence, so the
        // rest of the step takes every one for touched: it reads and restores more, never less.
        let whole = try PostgresSequenceState.read(connection)
        precondition(sequences == whole, "the sequences read through locks differ from a whole read")
        #endif
        // In the round trip of the branch's first command.
        connection.sendFirst(["SAVEPOINT \(name)"])
        current.branches.append((name, sequences, start))
        step = current
    }

    public func closeBranch() throws {
        guard var current = step, let branch = current.branches.popLast() else { throw TransactionObstacle("no branch is open") }
        step = current
        do {
            let connection = try session()
            // Only a sequence this transaction locked can have moved (``PostgresSequenceState/lockedSQL``).
            let touched = try PostgresSequenceState.lockedOids(
                after: "ROLLBACK TO SAVEPOINT \(branch.name); RELEASE SAVEPOINT \(branch.name)", on: connection
            )
            // Inside the step's transaction, in the round trip of its next command: setval is not rolled back, so
            // it holds whatever comes next.
            if let restore = branch.sequences.restoreSQL(only: touched) { connection.sendFirst([restore]) }
            generation = branch.generation
        } catch {
            step?.broken = true
            throw error
        }
    }

    /// A savepoint name not used before in the open step.
    func savepointName(_ purpose: String) throws -> String {
        guard let name = step?.savepointName(purpose) else { throw TransactionObstacle("no step is open") }
        return name
    }

    public func commitStep() throws {
        guard let current = step else { throw TransactionObstacle("no step is open") }
        // COMMIT of a failed transaction answers ROLLBACK without an error. Looked at as a reader does, so that the
        // carried snapshot and digests may still be those read at this generation.
        guard !current.broken, current.branches.isEmpty, try openConnection().transactionStatus == .inTransaction else {
            throw TransactionObstacle("the step's transaction is not intact")
        }
        // A failed read is rolled back to its own savepoint: the step still commits, only without carried digests.
        let carried = (try? digestsToCarry()) ?? nil
        // A failed read is rolled back to its own savepoint too: the next step then starts with a whole snapshot.
        let carriedSnapshot = (try? snapshotToCarry()) ?? nil
        let connection = try session()
        // The sequences as the commit leaves them: those the step locked, the only ones that can have moved.
        let sequences = try? PostgresSequenceState.read(connection, since: current.sequencesAtStart)
        try connection.executeQueryString(current.changeLog == nil ? "COMMIT" : PostgresChangeLog.removeSQL + "; COMMIT")
        if current.changeLog != nil { changeLogFunctionCommitted = true }
        step = nil
        digestCaches = []
        snapshotAtTop = nil
        carriedDigests = carried
        snapshotCache = carriedSnapshot
        knownSequences = sequences
    }

    public func abortStep() {
        guard let current = step else { return }
        step = nil
        digestCaches = []
        snapshotAtTop = nil
        carriedDigests = nil
        snapshotCache = nil
        knownSequences = nil
        do {
            let connection = try session()
            rollBackOpenTransaction(connection)
            try current.sequencesAtStart.restore(on: try session())
        } catch {
            disconnect()
            _ = try? current.sequencesAtStart.restore(on: session())
        }
    }

    /// A script inside the step: between a savepoint and its release, with the file's own BEGIN … COMMIT as a
    /// savepoint, all in one query string (one round trip, the session's reset included). A file with a concurrent
    /// index statement goes statement by statement, since whether its plain form may run is asked first.
    func applyInStep(_ script: PreparedScript) throws {
        let connection = try freshSession()
        let file = try savepointName("file")
        let controls = script.statements.map { statement -> String? in
            ["BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT"].contains(Self.firstWord(of: statement.text))
                ? PostgresScriptParser.transactionKind(of: statement.text) : nil
        }
        let plain = script.statements.map { $0.nonTransactional ? ConcurrentIndexStatement($0) : nil }
        guard plain.allSatisfy({ $0 == nil }) else {
            try connection.execute("SAVEPOINT \(file)")
            try applyStatementByStatement(script, controls: controls, plain: plain, on: connection)
            try connection.execute("RELEASE SAVEPOINT \(file)")
            return
        }
        var pieces: [QueryString.Piece] = [.own("SAVEPOINT \(file)", count: 1, standingFor: nil)]
        var open: [String] = []
        var opening: (index: Int, statement: ScriptStatement)?
        for (index, statement) in script.statements.enumerated() {
            switch controls[index] {
            case nil:
                pieces.append(.statement(index))
            case "TRANS_STMT_BEGIN", "TRANS_STMT_START":
                guard open.isEmpty else { continue }
                let name = try savepointName("own")
                pieces.append(.own("SAVEPOINT \(name)", count: 1, standingFor: index))
                open.append(name)
                opening = (index, statement)
            case "TRANS_STMT_COMMIT":
                guard let name = open.popLast() else { continue }
                pieces.append(.own("RELEASE SAVEPOINT \(name)", count: 1, standingFor: index))
            case "TRANS_STMT_ROLLBACK":
                guard let name = open.popLast() else { continue }
                pieces.append(.own("ROLLBACK TO SAVEPOINT \(name); RELEASE SAVEPOINT \(name)", count: 2, standingFor: index))
            default:
                throw TransactionObstacle("transaction control the fast path does not translate")
            }
        }
        if open.isEmpty { pieces.append(.own("RELEASE SAVEPOINT \(file)", count: 1, standingFor: nil)) }
        let query = QueryString(script, pieces: pieces)
        do {
            try connection.executeQueryString(query.text)
        } catch let failure as QueryStringFailure {
            throw query.failure(failure, file: script.file)
        }
        if !open.isEmpty { throw Self.endsInOpenTransaction(script, opening: opening?.statement) }
    }

    /// The statements of `script` one round trip each, the file's own BEGIN … COMMIT as a savepoint, a concurrent
    /// index statement in its plain form once the server said that form runs the same.
    private func applyStatementByStatement(
        _ script: PreparedScript, controls: [String?], plain: [ConcurrentIndexStatement?], on connection: PostgresConnection
    ) throws {
        var open: [String] = []
        var opening: (index: Int, statement: ScriptStatement)?
        for (index, statement) in script.statements.enumerated() {
            do {
                switch controls[index] {
                case nil:
                    if let plain = plain[index] {
                        // The concurrent form would refuse this relation: the subject goes to copies.
                        if try connection.execute(plain.refusalQuery).rows.first?.first == "t" {
                            throw TransactionObstacle("a concurrent index statement PostgreSQL refuses for \(plain.relation)")
                        }
                        try connection.execute(plain.plainText)
                    } else {
                        try connection.execute(statement.text)
                    }
                case "TRANS_STMT_BEGIN", "TRANS_STMT_START":
                    guard open.isEmpty else { continue }
                    let name = try savepointName("own")
                    try connection.execute("SAVEPOINT \(name)")
                    open.append(name)
                    opening = (index, statement)
                case "TRANS_STMT_COMMIT":
                    guard let name = open.popLast() else { continue }
                    try connection.execute("RELEASE SAVEPOINT \(name)")
                case "TRANS_STMT_ROLLBACK":
                    guard let name = open.popLast() else { continue }
                    try connection.execute("ROLLBACK TO SAVEPOINT \(name); RELEASE SAVEPOINT \(name)")
                default:
                    throw TransactionObstacle("transaction control the fast path does not translate")
                }
            } catch let error as PostgresError {
                throw failure(error, statement: statement, index: index, file: script.file)
            }
        }
        if !open.isEmpty { throw Self.endsInOpenTransaction(script, opening: opening?.statement) }
    }

    /// The file's own transaction is still open after its last statement; `opening` started it.
    private static func endsInOpenTransaction(_ script: PreparedScript, opening: ScriptStatement?) -> ScriptFailure {
        let started = opening.map { " started at line \($0.line)" } ?? ""
        return ScriptFailure(
            file: script.file.displayPath, line: opening?.line, column: opening?.column,
            message: "the file ends inside an open transaction\(started); add COMMIT at the end"
        )
    }
}
