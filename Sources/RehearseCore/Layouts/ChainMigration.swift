/// One migration of a flat layout, as its source reads it, before ``ChainBuilder`` makes it a chain step.
public struct ChainMigration: Sendable, Equatable {
    /// The subject id: the migration's name as its layout writes it, without the file extension
    /// (`V2__add_email`, `000013_add_users`, Sqitch's `add_users` or `add_users@v1.2`).
    public var id: String
    /// The version a baseline or `schema:` dump can name (Flyway's `2`, golang-migrate's `13`); nil when none.
    public var version: String?
    /// Forward files in execution order (usually one), each with its execution mode.
    public var forward: [ScriptFile]
    /// The undo files; nil when the migration has no down at all.
    public var undo: [ScriptFile]?
    /// The layout's own verify scripts (Sqitch's, role `.verify`).
    public var verify: [ScriptFile]
    /// Flyway's repeatable `R__` scripts: re-run by design, so `idempotence` is always required.
    public var repeatable: Bool
    /// What a message names as this migration's location (its file or folder).
    public var location: String
    /// Where its undo lives or should live (the down file's path), for messages.
    public var undoLocation: String?

    public init(
        id: String, version: String? = nil, forward: [ScriptFile], undo: [ScriptFile]?, verify: [ScriptFile] = [], repeatable: Bool = false, location: String,
        undoLocation: String? = nil
    ) {
        self.id = id
        self.version = version
        self.forward = forward
        self.undo = undo
        self.verify = verify
        self.repeatable = repeatable
        self.location = location
        self.undoLocation = undoLocation
    }
}

/// An install to compare a chain with: a Flyway baseline `B<version>__…`, or `schema:` in rehearse.yaml.
public struct ChainBaseline: Sendable, Equatable {
    /// The chain version it equals; nil for "the last step".
    public var version: String?
    public var files: [ScriptFile]
    /// For messages: `baseline B3__init.sql`, `schema dump db/schema.sql`.
    public var label: String

    public init(version: String?, files: [ScriptFile], label: String) {
        self.version = version
        self.files = files
        self.label = label
    }
}
