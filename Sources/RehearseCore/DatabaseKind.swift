/// The database technologies Rehearse can rehearse.
public enum DatabaseKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case postgresql
    case mongodb

    /// The name used in reports and messages ("PostgreSQL", "MongoDB").
    public var displayName: String {
        switch self {
        case .postgresql: "PostgreSQL"
        case .mongodb: "MongoDB"
        }
    }

    public static func < (lhs: DatabaseKind, rhs: DatabaseKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
