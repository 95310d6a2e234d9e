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
///
/// Its fields live in one shared box: a snapshot of a big catalog is copied whole whenever a cache that shares it
/// changes, and one reference is cheaper to copy than three strings.
public struct SnapshotObject: Sendable, Hashable, Codable, Comparable {
    private final class Fields: Sendable, Codable {
        let kind: String
        let name: String
        let definition: String
        let position: Int?

        init(kind: String, name: String, definition: String, position: Int?) {
            self.kind = kind
            self.name = name
            self.definition = definition
            self.position = position
        }
    }

    private let fields: Fields

    /// `schema`, `table`, `column`, `constraint`, `index`, `view`, `sequence`, `function`, `collection`, …
    public var kind: String { fields.kind }
    /// Its identity, qualified enough to be unique within the kind: `public.users.email`.
    public var name: String { fields.name }
    /// Everything compared, rendered as the user reads it: `varchar(255) not null`.
    public var definition: String { fields.definition }
    /// Ordinal position among its siblings (columns); compared only when column order is strict.
    public var position: Int? { fields.position }

    public init(kind: String, name: String, definition: String, position: Int? = nil) {
        fields = Fields(kind: kind, name: name, definition: definition, position: position)
    }

    public static func == (lhs: SnapshotObject, rhs: SnapshotObject) -> Bool {
        lhs.fields === rhs.fields || (lhs.kind == rhs.kind && lhs.name == rhs.name && lhs.definition == rhs.definition && lhs.position == rhs.position)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(name)
        hasher.combine(definition)
        hasher.combine(position)
    }

    /// The same keys as the fields' own: `kind`, `name`, `definition` and, when there is one, `position`.
    public init(from decoder: any Decoder) throws {
        fields = try Fields(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try fields.encode(to: encoder)
    }

    public static func < (lhs: SnapshotObject, rhs: SnapshotObject) -> Bool {
        (lhs.kind, lhs.name) < (rhs.kind, rhs.name)
    }
}
