import Foundation

/// What one subject's checks share while they run: the walking database, the snapshots before and after forward,
/// the rolled-back copy, and every scratch database to drop at the end.
///
/// Used by one thread at a time (the subject's own).
final class SubjectRun {
    let planned: PlannedSubject
    let engine: any DatabaseEngine
    let scripts: PreparedScripts
    let options: RehearsalOptions
    /// A base for scratch database names.
    let label: String
    /// The schema and data where forward starts.
    let before: SchemaSnapshot
    let beforeData: DataFingerprint
    /// The database forward runs on: the start, then the forward result that later subjects start from.
    let database: any ScratchDatabase
    /// The forward result's schema and data, set by ``ForwardCheck``.
    var after = SchemaSnapshot.empty
    var afterData = DataFingerprint()
    /// The copy the undo scripts ran on, set by ``RollbackCheck``.
    var rolledBack: (any ScratchDatabase)?
    /// Its data right after the rollback (before `reapply` runs forward on it again).
    var rolledBackData: DataFingerprint?
    /// Forward results of other subjects, for `equivalence`.
    let snapshotOf: @Sendable (MigrationSubject) -> SubjectSnapshot
    /// Other subjects' forward files, to say which statement of a fresh install made an object.
    var forwardOf: [MigrationSubject: [ScriptFile]] = [:]
    /// A new database holding the start state, for checks that load fixtures into it.
    private let copyStart: (String) throws -> any ScratchDatabase
    private var scratch: [any ScratchDatabase] = []
    /// Set on the fast path: copies of the forward result are savepoint branches of ``database``, one at a time.
    let transaction: (any TransactionalDatabase)?
    /// The branch open now, if any.
    private var branch: SavepointBranch?
    /// Why the fast path cannot be trusted for this subject (a branch that could not be closed), if it cannot.
    private(set) var branchFailure: (any Error)?

    init(
        planned: PlannedSubject, engine: any DatabaseEngine, scripts: PreparedScripts, options: RehearsalOptions,
        label: String, before: SchemaSnapshot, beforeData: DataFingerprint, database: any ScratchDatabase,
        snapshotOf: @escaping @Sendable (MigrationSubject) -> SubjectSnapshot,
        copyStart: @escaping (String) throws -> any ScratchDatabase,
        transaction: (any TransactionalDatabase)? = nil
    ) {
        self.transaction = transaction
        self.planned = planned
        self.engine = engine
        self.scripts = scripts
        self.options = options
        self.label = label
        self.before = before
        self.beforeData = beforeData
        self.database = database
        self.snapshotOf = snapshotOf
        self.copyStart = copyStart
    }

    var subject: RehearsalSubject { planned.subject }

    /// Which forward statement made each object of a difference, and which undo should have undone it.
    lazy var attribution = DiffAttribution(
        forward: subject.forward.compactMap(scripts.script(for:)), undo: subject.undoFiles.compactMap(scripts.script(for:)),
        undoLocation: subject.undoLocation
    )

    /// Runs `files` in order on `target`.
    func apply(_ files: [ScriptFile], to target: any ScratchDatabase) throws {
        for file in files { try target.apply(scripts[file]) }
    }

    /// A copy of the forward result, dropped when the subject is done; on the fast path a savepoint branch of the
    /// walking database, closed when it is released or the subject is done.
    func cloneForward(_ suffix: String) throws -> any ScratchDatabase {
        guard let transaction else { return try keep(database.clone(label: label + "_" + suffix)) }
        if let open = branch {
            // One branch at a time: the earlier one (a kept rollback copy) is given up, which only the fast path's
            // own checks could notice; it is a bug in the executor, so the subject runs again on copies.
            release(open)
            throw TransactionObstacle("a second savepoint branch was asked for while one was open")
        }
        let opened = try SavepointBranch(opening: transaction)
        branch = opened
        return keep(opened)
    }

    /// The data of `target` as the checks compare it: row by row on copies, by digest on the fast path (where any
    /// difference is rehearsed again on copies, which shows the rows).
    func data(of target: any ScratchDatabase) throws -> DataFingerprint {
        transaction == nil ? try target.fingerprint() : try target.dataDigest()
    }

    /// A copy of the start state, dropped when the subject is done.
    func cloneStart(_ suffix: String) throws -> any ScratchDatabase {
        try keep(copyStart(label + "_" + suffix))
    }

    /// An empty database, dropped when the subject is done.
    func emptyDatabase(_ suffix: String) throws -> any ScratchDatabase {
        try keep(engine.createDatabase(label: label + "_" + suffix))
    }

    /// Drops a scratch database now rather than at the end.
    func release(_ target: any ScratchDatabase) {
        target.drop()
        noteClosed(target)
        scratch.removeAll { $0 === target }
    }

    /// Drops every scratch database this subject made (not ``database``, which the executor owns).
    func dropScratch() {
        for database in scratch {
            database.drop()
            noteClosed(database)
        }
        scratch.removeAll()
    }

    private func noteClosed(_ target: any ScratchDatabase) {
        guard let closed = target as? SavepointBranch, closed === branch else { return }
        branch = nil
        if let failure = closed.failure, branchFailure == nil { branchFailure = failure }
    }

    private func keep(_ database: any ScratchDatabase) -> any ScratchDatabase {
        scratch.append(database)
        return database
    }

    /// Whether `check` is planned to run for this subject.
    func plans(_ check: Check) -> Bool {
        planned.planned(check)?.willRun ?? false
    }
}

/// Another subject's forward result as `equivalence` sees it.
enum SubjectSnapshot: Sendable {
    case available(SchemaSnapshot)
    case unavailable(reason: String)
}
