/// The contents of a project's `project-config.yaml`.
public struct ProjectConfig: Sendable, Equatable {
    /// One entry of `spec.databases`.
    public struct Database: Sendable, Equatable {
        /// The key under `spec.databases` (`primary`, `documents`, …).
        public var key: String
        public var kind: DatabaseKind
        /// The production database name, for messages only: scratch databases get their own names.
        public var name: String?
        public var schemas: [String]
    }

    /// `spec.migration.policies`; every policy defaults to false.
    public struct Policies: Sendable, Equatable {
        public var requireRollback = false
        public var requireValidation = false
        public var dryRunFirst = false
        public var backupBeforeUpgrade = false

        public init(requireRollback: Bool = false, requireValidation: Bool = false, dryRunFirst: Bool = false, backupBeforeUpgrade: Bool = false) {
            self.requireRollback = requireRollback
            self.requireValidation = requireValidation
            self.dryRunFirst = dryRunFirst
            self.backupBeforeUpgrade = backupBeforeUpgrade
        }
    }

    /// One entry of `spec.compatibility_matrix`, with the line it was declared on.
    public struct Compatibility: Sendable, Equatable {
        public var upgradesTo: [SemanticVersion]
        public var rollbackTo: [SemanticVersion]
        public var line: Int?
    }

    /// `spec.lint`: lint rules silenced for the whole project.
    public struct Lint: Sendable, Equatable {
        public var allow: [String]
        /// The line of `allow:`, for the message about a name that is not a rule.
        public var line: Int?

        public init(allow: [String] = [], line: Int? = nil) {
            self.allow = allow
            self.line = line
        }
    }

    public var name: String?
    public var description: String?
    public var databases: [Database]
    public var policies: Policies
    /// nil when the file has no `compatibility_matrix`: the version graph then comes from the folders.
    public var compatibilityMatrix: [SemanticVersion: Compatibility]?
    public var lint: Lint

    public init(
        name: String? = nil, description: String? = nil, databases: [Database] = [],
        policies: Policies = Policies(), compatibilityMatrix: [SemanticVersion: Compatibility]? = nil, lint: Lint = Lint()
    ) {
        self.name = name
        self.description = description
        self.databases = databases
        self.policies = policies
        self.compatibilityMatrix = compatibilityMatrix
        self.lint = lint
    }
}
