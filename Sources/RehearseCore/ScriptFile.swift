import Foundation

/// One migration, undo, validator or fixture file of a project.
public struct ScriptFile: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What the harness does with the file.
    public enum Role: String, Sendable, Hashable, Codable {
        case forward, undo, validator, fixture
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

    public init(url: URL, displayPath: String, role: Role, phase: String, number: MigrationNumber?, summary: String) {
        self.url = url
        self.displayPath = displayPath
        self.role = role
        self.phase = phase
        self.number = number
        self.summary = summary
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
