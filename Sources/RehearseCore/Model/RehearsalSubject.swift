/// One thing a rehearsal checks, whatever the layout: a fresh install, an upgrade edge or one migration of a chain.
///
/// A ``MigrationSource`` produces subjects; the ``RehearsalPlan`` decides which checks run on them; the executor
/// runs them. A subject starts from an empty database or from the forward result of another subject, which is
/// how a chain walks one database (step i+1 starts where step i ended) and how an upgrade starts from its
/// installed old version.
public struct RehearsalSubject: Sendable, Equatable {
    /// Where the forward scripts start.
    public enum Start: Sendable, Equatable {
        case empty
        /// The database as another subject's forward scripts left it (after its `loadAfter` files).
        case resultOf(MigrationSubject)
        /// The start cannot be had (a version no install or upgrade path reaches); every check is skipped.
        case unavailable(reason: String)
    }

    /// What undoes the forward scripts.
    public enum Undo: Sendable, Equatable {
        /// These files, in this order.
        case scripts([ScriptFile])
        /// There is no undo; rollback, reversibility and reapply are skipped with this reason.
        case missing(reason: String)
        /// Declared irreversible (`irreversible:` in rehearse.yaml); rollback, reversibility and reapply are skipped.
        case irreversible
    }

    /// Where `data-preservation` gets its rows.
    public enum DataSource: Sendable, Equatable {
        /// Loaded into a copy of the start before measuring (the primary layout's `<old>` fixtures).
        case fixtures([ScriptFile])
        /// The rows the start already holds (a chain's own data and its `fixtures:`); skipped when it holds none.
        case startRows
        /// Planned but skipped, for this reason.
        case unavailable(reason: String)
        /// No data-preservation check for this subject (an install).
        case notPlanned
    }

    /// What `equivalence` compares the forward result with.
    public enum Equivalence: Sendable, Equatable {
        /// No equivalence check for this subject (a chain step without a baseline).
        case notPlanned
        /// Planned but skipped, for this reason.
        case unavailable(reason: String)
        /// The forward result of another subject (a fresh install of the same version).
        case subject(MigrationSubject, label: String)
        /// These files loaded fresh into an empty database (a Flyway baseline, a schema dump).
        case scripts([ScriptFile], label: String)
    }

    /// When `idempotence` is required (DESIGN.md, "Idempotence, precisely").
    public enum IdempotenceRule: String, Sendable, Equatable, Codable, CaseIterable {
        case always
        case never
        /// Only for a migration that runs outside a transaction.
        case outsideTransaction = "outside-transaction"
    }

    public let id: MigrationSubject
    /// The folder or file a reviewer opens for this subject, for messages (`…/upgrade/from-v1.0.0/postgresql`).
    public let folder: String
    public let start: Start
    /// Forward files in execution order.
    public let forward: [ScriptFile]
    public let undo: Undo
    /// Where an undo should have been written, for messages ("the undo file or folder that should have undone it").
    public let undoLocation: String?
    /// Validators (role `.validator`, one true row) and verify scripts (role `.verify`, no error), in order.
    public let validators: [ScriptFile]
    public let idempotence: IdempotenceRule
    public let data: DataSource
    public let equivalence: Equivalence
    /// Whether the `backup` check runs (a dump of the start, with `data` loaded, must restore identically).
    public let backup: Bool
    /// Loaded into the forward result after its checks, before later subjects start from it (a chain's `fixtures:`).
    public let loadAfter: [ScriptFile]
    /// False for a subject that is only applied forward, unchecked and unreported (before `--from`, before the
    /// first changed step, before a shard's first subject).
    public var rehearsed: Bool

    public init(
        id: MigrationSubject, folder: String, start: Start, forward: [ScriptFile], undo: Undo, undoLocation: String? = nil,
        validators: [ScriptFile] = [], idempotence: IdempotenceRule = .always,
        data: DataSource = .startRows, equivalence: Equivalence = .notPlanned, backup: Bool = false,
        loadAfter: [ScriptFile] = [], rehearsed: Bool = true
    ) {
        self.id = id
        self.folder = folder
        self.start = start
        self.forward = forward
        self.undo = undo
        self.undoLocation = undoLocation
        self.validators = validators
        self.idempotence = idempotence
        self.data = data
        self.equivalence = equivalence
        self.backup = backup
        self.loadAfter = loadAfter
        self.rehearsed = rehearsed
    }

    /// The undo files, empty when there are none.
    public var undoFiles: [ScriptFile] {
        if case let .scripts(files) = undo { return files }
        return []
    }

    /// Every file the subject may run, for parsing them all before any server starts.
    public var allFiles: [ScriptFile] {
        var files = forward + undoFiles + validators + loadAfter
        if case let .fixtures(fixtures) = data { files += fixtures }
        if case let .scripts(scripts, _) = equivalence { files += scripts }
        return files
    }
}
