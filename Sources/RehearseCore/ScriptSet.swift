/// The scripts of one install or one upgrade edge of one database.
public struct ScriptSet: Sendable, Equatable {
    /// Repository-relative folder these scripts came from (`…/new-install/postgresql`).
    public let folder: String
    /// Forward files in execution order: phase by phase, ascending number within a phase.
    public let forward: [ScriptFile]
    /// Validators in name order.
    public let validators: [ScriptFile]
    /// Undo files in execution order (descending number); empty when there is no rollback folder.
    public let undo: [ScriptFile]
    /// Whether a `rollback/` (or `rollbacks/`) folder exists at all.
    public let hasRollbackFolder: Bool

    public init(folder: String, forward: [ScriptFile], validators: [ScriptFile], undo: [ScriptFile], hasRollbackFolder: Bool) {
        self.folder = folder
        self.forward = forward
        self.validators = validators
        self.undo = undo
        self.hasRollbackFolder = hasRollbackFolder
    }

    /// Every file, for parsing them all before any server starts.
    public var allFiles: [ScriptFile] { forward + validators + undo }
}
