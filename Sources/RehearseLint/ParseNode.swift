import Foundation

/// One node of libpg_query's JSON parse tree, as the rules read it.
///
/// libpg_query writes protobuf-style JSON: a node is `{"AlterTableStmt": {…}}`, a field holding its zero value
/// (`false`, `0`, an empty string) is left out, so a missing field reads as false, 0 or nil here.
enum ParseNode: Sendable, Equatable, Decodable {
    case object([String: ParseNode])
    case array([ParseNode])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([ParseNode].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: ParseNode].self))
        }
    }

    /// Decodes libpg_query's JSON text, in one pass (see `ParseNode+JSON.swift`).
    static func decode(_ json: String) throws -> ParseNode {
        try read(json: json)
    }

    subscript(key: String) -> ParseNode? {
        guard case let .object(fields) = self else { return nil }
        return fields[key]
    }

    /// The elements of a list field; empty when absent.
    var items: [ParseNode] {
        if case let .array(items) = self { return items }
        return []
    }

    var string: String? {
        if case let .string(value) = self { return value }
        return nil
    }

    var int: Int? {
        if case let .number(value) = self { return Int(value) }
        return nil
    }

    var bool: Bool {
        if case let .bool(value) = self { return value }
        return false
    }

    /// The node type of a wrapped node (`AlterTableStmt` for `{"AlterTableStmt": {…}}`).
    var kind: String? {
        guard case let .object(fields) = self, fields.count == 1 else { return nil }
        return fields.keys.first
    }

    /// The fields of a wrapped node.
    var body: ParseNode? {
        guard case let .object(fields) = self, fields.count == 1 else { return nil }
        return fields.values.first
    }

    /// The body when this is a wrapped node of type `kind`.
    func node(_ kind: String) -> ParseNode? {
        self.kind == kind ? body : nil
    }

    /// The `String` values of a name list (`[{"String": {"sval": "pg_catalog"}}, …]`).
    var names: [String] {
        items.compactMap { $0.node("String")?["sval"]?.string }
    }

    /// This node and every node below it, depth first.
    var descendants: [ParseNode] {
        var result: [ParseNode] = [self]
        switch self {
        case let .object(fields):
            for key in fields.keys.sorted() { result += fields[key]?.descendants ?? [] }
        case let .array(items):
            for item in items { result += item.descendants }
        default:
            break
        }
        return result
    }

    /// Every wrapped node of type `kind` at or below this one.
    func all(_ kind: String) -> [ParseNode] {
        descendants.compactMap { $0.node(kind) }
    }

    /// The integer value of an `A_Const` or `Integer` node (zero is written as `{}`).
    var constantInt: Int? {
        if let constant = node("A_Const") {
            guard let ival = constant["ival"] else { return nil }
            return ival["ival"]?.int ?? 0
        }
        if let integer = node("Integer") { return integer["ival"]?.int ?? 0 }
        return nil
    }

    /// The text of an `A_Const` string node (the empty string is written as `{}`).
    var constantString: String? {
        guard let sval = node("A_Const")?["sval"] else { return nil }
        return sval["sval"]?.string ?? ""
    }

    /// The `location` field: a byte offset into the parsed text, nil when the parser gave none.
    var location: Int? {
        guard let value = self["location"]?.int, value >= 0 else { return nil }
        return value
    }
}
