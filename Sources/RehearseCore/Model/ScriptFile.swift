import Foundation

/// One migration, undo, validator or fixture file of a project.
public struct ScriptFile: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What the harness does with the file.
    public enum Role: String, Sendable, Hashable, Codable {
        case forward, undo, fixture
        /// Passes when every statement succeeds and every row-returning statement returns one row, one column,
        /// true (Atlas's assert rule): the primary layout's validators and those named in rehearse.yaml.
        case validator
        /// Passes when it raises no error (Sqitch's verify rule).
        case verify
        /// Loaded fresh into an empty database to compare with (a Flyway baseline, a schema dump).
        case baseline
    }

    /// Absolute location on disk.
    public let url: URL
    /// Path relative to the repository root, as shown in messages and reports.
    public let displayPath: String
    public let role: Role
    /// The phase folder it came from (`schema`, `pre-upgrade`, `rollback`, `validate`, …).
    public let phase: String
    /// Its order key: Flyway version + number, or the MongoDB `<NNN>` prefix; nil for validators and fixtures.
    public let number: MigrationNumber?
    /// The words after `__` or `-`, for display.
    public let summary: String
    /// How the file's statements are sent (PostgreSQL); MongoDB commands always run one at a time.
    public let execution: ExecutionMode
    /// For a JavaScript migration, the exported function to call (`up` or `down`); nil for every other file.
    public let entry: String?
    /// The byte range of the file that holds this script (one half of a dbmate file); nil for the whole file.
    ///
    /// A parser reads only these bytes but keeps the file's line and column numbers.
    public let section: Range<Int>?

    public init(
        url: URL, displayPath: String, role: Role, phase: String, number: MigrationNumber?, summary: String,
        execution: ExecutionMode = .autocommit, entry: String? = nil, section: Range<Int>? = nil
    ) {
        self.url = url
        self.displayPath = displayPath
        self.role = role
        self.phase = phase
        self.number = number
        self.summary = summary
        self.execution = execution
        self.entry = entry
        self.section = section
    }

    /// The same file run another way (a layout's per-file override, a JavaScript file's `down`).
    public func with(execution: ExecutionMode? = nil, entry: String? = nil, role: Role? = nil, section: Range<Int>? = nil) -> ScriptFile {
        ScriptFile(
            url: url, displayPath: displayPath, role: role ?? self.role, phase: phase, number: number, summary: summary,
            execution: execution ?? self.execution, entry: entry ?? self.entry, section: section ?? self.section
        )
    }

    public var fileName: String { url.lastPathComponent }
    public var description: String { displayPath }
}

/// The order key of a migration file: `V1.1.0.001` is version 1.1.0, sequence 1.
public struct MigrationNumber: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The Flyway version in the file name; nil for MongoDB files (`001-…json`).
    public let version: SemanticVersion?
    public let sequence: Int

    public init(version: SemanticVersion?, sequence: Int) {
        self.version = version
        self.sequence = sequence
    }

    public static func < (lhs: MigrationNumber, rhs: MigrationNumber) -> Bool {
        switch (lhs.version, rhs.version) {
        case let (l?, r?) where l != r: return l < r
        case (nil, .some): return true
        case (.some, nil): return false
        default: return lhs.sequence < rhs.sequence
        }
    }

    public var description: String {
        let sequence = String(repeating: "0", count: max(0, 3 - String(self.sequence).count)) + String(self.sequence)
        if let version { return "\(version.bare).\(sequence)" }
        return sequence
    }
}
