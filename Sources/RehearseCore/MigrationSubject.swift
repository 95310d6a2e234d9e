/// What a check rehearses: a fresh install, an upgrade edge, or the project as a whole (policy).
public enum MigrationSubject: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    case install(SemanticVersion)
    case upgrade(from: SemanticVersion, to: SemanticVersion)
    /// One migration of a chain, by its id as its layout writes it (`V2__add_email`, `000013_add_users`).
    case migration(String)
    case project

    /// `install v1.1.0`, `upgrade v1.0.0 -> v1.1.0`, `project`.
    public var description: String {
        switch self {
        case let .install(version): "install \(version)"
        case let .upgrade(from, to): "upgrade \(from) -> \(to)"
        case let .migration(id): "migration \(id)"
        case .project: "project"
        }
    }

    private var sortKey: (Int, SemanticVersion, SemanticVersion) {
        switch self {
        case .project: (0, SemanticVersion(major: 0, minor: 0, patch: 0), SemanticVersion(major: 0, minor: 0, patch: 0))
        case let .install(version): (1, version, version)
        case let .upgrade(from, to): (2, to, from)
        case .migration: (3, SemanticVersion(major: 0, minor: 0, patch: 0), SemanticVersion(major: 0, minor: 0, patch: 0))
        }
    }

    public static func < (lhs: MigrationSubject, rhs: MigrationSubject) -> Bool {
        let l = lhs.sortKey, r = rhs.sortKey
        if l.0 != r.0 { return l.0 < r.0 }
        if l.1 != r.1 { return l.1 < r.1 }
        return l.2 < r.2
    }
}
