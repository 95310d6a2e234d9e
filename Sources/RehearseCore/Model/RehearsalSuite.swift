/// One JUnit `<testsuite name="<name>/<db>">`: a project (primary layout) or a chain repository on one database.
public struct RehearsalSuite: Sendable, Equatable {
    /// The project folder name, or the chain repository's `name` (rehearse.yaml, else the folder name).
    public let name: String
    public let database: DatabaseKind
    /// The `--layout` name of the source that read it.
    public let layout: String
    /// The folder the suite was read from, as shown in messages.
    public let displayPath: String
    /// Subjects in plan order: a subject comes after the subject it starts from.
    public var subjects: [RehearsalSubject]
    /// The `project: policy` check.
    public let policy: PolicyOutcome
    /// True when the subjects form one chain walking one database (a flat layout).
    public let isChain: Bool
    /// Collections (MongoDB) or tables that are the migration tool's own bookkeeping (migrate-mongo's
    /// `changelog`): the runner hands them to the engine, whose snapshots and fingerprints leave them out.
    public var bookkeepingCollections: [String] = []
    /// Lint rules silenced for the whole suite (`spec.lint.allow` in project-config.yaml, `allow:` in rehearse.yaml).
    public var allowedRules: [String]
    /// The file (and line) that lists ``allowedRules``, for the message about a name that is not a rule.
    public var allowedRulesFile: String?
    public var allowedRulesLine: Int?
    /// False in every shard but the one that reports this suite's `project: policy` test case (`--shard`), so
    /// that the shards together report it once.
    public var reportsPolicy = true

    public init(
        name: String, database: DatabaseKind, layout: String, displayPath: String, subjects: [RehearsalSubject],
        policy: PolicyOutcome, isChain: Bool, allowedRules: [String] = [], allowedRulesFile: String? = nil,
        allowedRulesLine: Int? = nil
    ) {
        self.name = name
        self.database = database
        self.layout = layout
        self.displayPath = displayPath
        self.subjects = subjects
        self.policy = policy
        self.isChain = isChain
        self.allowedRules = allowedRules
        self.allowedRulesFile = allowedRulesFile
        self.allowedRulesLine = allowedRulesLine
    }

    /// `e-commerce/postgresql`.
    public var fullName: String { "\(name)/\(database.rawValue)" }

    public func subject(_ id: MigrationSubject) -> RehearsalSubject? {
        subjects.first { $0.id == id }
    }
}

/// What the `policy` check of a suite found, decided when the repository is read (it needs no server).
public enum PolicyOutcome: Sendable, Equatable {
    /// No policy is switched on; the check is skipped with this reason.
    case noRules(reason: String)
    /// The rules that were checked and every violation found (none: the check passes).
    case checked([PolicyViolation])
}

/// One broken rule: the folder or file that is missing or wrong.
public struct PolicyViolation: Sendable, Equatable, CustomStringConvertible {
    public let message: String
    /// The folder or file a reviewer must open.
    public let file: String?
    public let line: Int?

    public init(_ message: String, file: String? = nil, line: Int? = nil) {
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String { message }
}
