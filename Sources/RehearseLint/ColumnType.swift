/// A column's declared type, as far as lint needs it: its name without `pg_catalog` and its modifiers.
struct ColumnType: Sendable, Hashable, CustomStringConvertible {
    /// `varchar`, `bpchar`, `numeric`, `timestamp`, `int4`, or a user type's (last) name.
    let name: String
    /// `varchar(255)` → `[255]`; `numeric(10,2)` → `[10, 2]`; nil when a modifier is not a number.
    let modifiers: [Int]?
    let isArray: Bool

    init(name: String, modifiers: [Int]?, isArray: Bool = false) {
        self.name = name
        self.modifiers = modifiers
        self.isArray = isArray
    }

    /// The type of a `TypeName` node.
    init?(typeName: ParseNode?) {
        guard let typeName, let name = typeName["names"]?.names.last else { return nil }
        let modifiers = typeName["typmods"]?.items.map(\.constantInt) ?? []
        self.init(
            name: name, modifiers: modifiers.contains(nil) ? nil : modifiers.compactMap { $0 },
            isArray: !(typeName["arrayBounds"]?.items.isEmpty ?? true)
        )
    }

    /// `varchar(255)`, as a reader writes it.
    var description: String {
        let shown = switch name {
        case "bpchar": "char"
        case "int2": "smallint"
        case "int4": "integer"
        case "int8": "bigint"
        case "timestamptz": "timestamptz"
        default: name
        }
        let arguments = modifiers.map { $0.isEmpty ? "" : "(" + $0.map(String.init).joined(separator: ",") + ")" } ?? "(…)"
        return shown + arguments + (isArray ? "[]" : "")
    }

    /// True when changing a column from `old` to this type needs no table rewrite (PostgreSQL's binary-coercible
    /// widenings: a longer or unbounded `varchar`, `varchar` to `text`, more `numeric` precision at the same scale).
    func widens(_ old: ColumnType) -> Bool {
        guard isArray == old.isArray, let new = modifiers, let was = old.modifiers else { return false }
        switch (old.name, name) {
        case ("varchar", "varchar"), ("varbit", "varbit"):
            guard let newLimit = new.first else { return true }
            guard let oldLimit = was.first else { return false }
            return newLimit >= oldLimit
        case ("varchar", "text"):
            return true
        case ("text", "varchar"):
            return new.isEmpty
        case ("numeric", "numeric"):
            if new.isEmpty { return true }
            guard was.count >= 1, new.count >= 1 else { return false }
            return new[0] >= was[0] && (new.count > 1 ? new[1] : 0) == (was.count > 1 ? was[1] : 0)
        default:
            return name == old.name && new == was
        }
    }
}
