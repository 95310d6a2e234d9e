/// The contents of `rehearse.yaml` at the root of a flat layout (DESIGN.md, "rehearse.yaml").
public struct RehearseConfig: Sendable, Equatable {
    /// Fixture files loaded into the chain after one migration.
    public struct Fixture: Sendable, Equatable {
        /// The migration id they follow.
        public var after: String
        /// Repository-relative paths, as written.
        public var files: [String]
        public var line: Int?

        public init(after: String, files: [String], line: Int? = nil) {
            self.after = after
            self.files = files
            self.line = line
        }
    }

    /// The file's path as shown in messages.
    public var displayPath: String
    /// The suite name; the folder name when absent.
    public var name: String?
    /// Overrides layout detection.
    public var layout: String?
    /// Migration ids whose undo is deliberately absent or empty.
    public var irreversible: [String]
    public var idempotence: RehearsalSubject.IdempotenceRule?
    /// A schema dump the chain's last step must equal, repository-relative.
    public var schema: String?
    /// Validator files per migration id, repository-relative.
    public var validators: [String: [String]]
    public var fixtures: [Fixture]
    public var requireRollback: Bool
    public var requireValidation: Bool
    /// Extensions a migration may create that the snapshot should not report as drift.
    public var extensionsOK: [String]
    /// golang-migrate's `x-multi-statement`: split files on statements instead of sending one query string.
    public var golangMigrateMultiStatement: Bool
    /// Lint and safety rules silenced for the whole repository.
    public var allow: [String]
    /// The line each migration id is mentioned on, for messages about ids that do not exist.
    public var lines: [String: Int]
    /// The folder holding rehearse.yaml: the files it names are relative to it (it may sit above the
    /// conventional folder holding the chain); nil for a config that was not read from a file.
    public var folder: RepositoryFolder?
    /// PATH's folder name, when the chain was found in a conventional folder below it: the suite's name unless
    /// `name` is set.
    public var repositoryName: String?

    public init(
        displayPath: String, name: String? = nil, layout: String? = nil, irreversible: [String] = [],
        idempotence: RehearsalSubject.IdempotenceRule? = nil, schema: String? = nil, validators: [String: [String]] = [:],
        fixtures: [Fixture] = [], requireRollback: Bool = false, requireValidation: Bool = false,
        extensionsOK: [String] = [], golangMigrateMultiStatement: Bool = false, allow: [String] = [], lines: [String: Int] = [:],
        folder: RepositoryFolder? = nil, repositoryName: String? = nil
    ) {
        self.displayPath = displayPath
        self.name = name
        self.layout = layout
        self.irreversible = irreversible
        self.idempotence = idempotence
        self.schema = schema
        self.validators = validators
        self.fixtures = fixtures
        self.requireRollback = requireRollback
        self.requireValidation = requireValidation
        self.extensionsOK = extensionsOK
        self.golangMigrateMultiStatement = golangMigrateMultiStatement
        self.allow = allow
        self.lines = lines
        self.folder = folder
        self.repositoryName = repositoryName
    }
}
