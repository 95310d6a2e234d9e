/// The schema of a database as read from its catalog: a flat, sorted list of named objects.
///
/// Both PostgreSQL and MongoDB snapshots use this shape, so one diff serves both.
public struct SchemaSnapshot: Sendable, Equatable, Codable {
    public private(set) var objects: [SnapshotObject]

    public init(objects: [SnapshotObject] = []) {
        self.objects = objects.sorted()
    }

    /// A snapshot of `objects` that are sorted already (a cache that keeps them so): shares their storage instead
    /// of sorting a copy.
    public init(sorted objects: [SnapshotObject]) {
        assert(zip(objects, objects.dropFirst()).allSatisfy { !($1 < $0) }, "the objects are not sorted")
        self.objects = objects
    }

    public static let empty = SchemaSnapshot()

    public var isEmpty: Bool { objects.isEmpty }

    /// The object of `kind` called `name`, if present.
    public func object(kind: String, name: String) -> SnapshotObject? {
        objects.first { $0.kind == kind && $0.name == name }
    }
}

/// One catalog object: a table, column, index, collection, …
public struct SnapshotObject: Sendable, Hashable, Codable, Comparable {
    /// `schema`, `table`, `column`, `constraint`, `index`, `view`, `sequence`, `function`, `collection`, …
    public let kind: String
    /// Its identity, qualified enough to be unique within the kind: `public.users.email`.
    public let name: String
    /// Everything compared, rendered as the user reads it: `varchar(255) not null`.
    public let definition: String
    /// Ordinal position among its siblings (columns); compared only when column order is strict.
    public let position: Int?

    public init(kind: String, name: String, definition: String, position: Int? = nil) {
        self.kind = kind
        self.name = name
        self.definition = definition
        self.position = position
    }

    public static func < (lhs: SnapshotObject, rhs: SnapshotObject) -> Bool {
        (lhs.kind, lhs.name) < (rhs.kind, rhs.name)
    }
}
