/// One path from an older version to a newer one.
public struct UpgradeEdge: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let from: SemanticVersion
    public let to: SemanticVersion

    public init(from: SemanticVersion, to: SemanticVersion) {
        self.from = from
        self.to = to
    }

    public var description: String { "\(from) -> \(to)" }

    public static func < (lhs: UpgradeEdge, rhs: UpgradeEdge) -> Bool {
        (lhs.to, lhs.from) < (rhs.to, rhs.from)
    }
}
