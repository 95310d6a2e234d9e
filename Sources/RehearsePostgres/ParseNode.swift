import Foundation

/// A read-only view of one value of libpg_query's JSON parse tree (`pg_query_parse`).
///
/// The tree follows PostgreSQL's node structs: a node is `{"IndexStmt": {…fields…}}`, a list is a JSON array, a
/// name is `{"String": {"sval": "orders"}}`. Fields at their default value (false, 0, empty) are left out of the
/// JSON, so a missing field reads as false, nil or an empty list. Every accessor tolerates any shape: a tree
/// from another libpg_query version reads as "nothing known" rather than crashing.
struct ParseNode {
    let value: Any?

    init(_ value: Any?) {
        self.value = value
    }

    /// Parses libpg_query's JSON output.
    init?(json: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) else { return nil }
        value = object
    }

    /// The field `key` of an object (a missing field is an absent node).
    subscript(key: String) -> ParseNode {
        ParseNode((value as? [String: Any])?[key])
    }

    var isPresent: Bool { value != nil && !(value is NSNull) }

    /// The elements of a list; also reads a `{"List": {"items": […]}}` node.
    var list: [ParseNode] {
        if let array = value as? [Any] { return array.map(ParseNode.init) }
        if let items = self["List"]["items"].value as? [Any] { return items.map(ParseNode.init) }
        return []
    }

    var string: String? { value as? String }

    var bool: Bool {
        if let flag = value as? Bool { return flag }
        if let number = value as? NSNumber { return number.boolValue }
        return false
    }

    var int: Int? {
        if let number = value as? Int { return number }
        return (value as? NSNumber)?.intValue
    }

    /// For a node `{"Tag": {…}}`, its tag and its fields.
    var node: (tag: String, fields: ParseNode)? {
        guard let object = value as? [String: Any], object.count == 1, let (tag, fields) = object.first else { return nil }
        return (tag, ParseNode(fields))
    }

    /// The fields of a node of type `tag`, or nil when this is another node.
    func fields(_ tag: String) -> ParseNode? {
        guard let node, node.tag == tag else { return nil }
        return node.fields
    }

    /// The text of a `String` node (a name), or of an `A_Const` holding a string.
    var name: String? {
        if let text = fields("String")?["sval"].string { return text }
        if let constant = fields("A_Const") { return constant["sval"]["sval"].string }
        return nil
    }

    /// The texts of a list of `String` nodes (a qualified name), or nil when one of them is not a name.
    var names: [String]? {
        let names = list.compactMap(\.name)
        return names.count == list.count ? names : nil
    }

    /// A `DefElem`'s value as PostgreSQL's `defGetBoolean` reads it: absent means true.
    var definitionFlag: Bool? {
        let argument = self["arg"]
        guard argument.isPresent else { return true }
        if let boolean = argument.fields("Boolean") { return boolean["boolval"].bool }
        if let integer = argument.fields("Integer") { return (integer["ival"].int ?? 0) != 0 }
        switch argument.name?.lowercased() {
        case "true", "on", "1": return true
        case "false", "off", "0": return false
        default: return nil
        }
    }

    /// The `DefElem` named `name` in a list of options.
    func option(_ name: String) -> ParseNode? {
        list.compactMap { $0.fields("DefElem") }.first { $0["defname"].string == name }
    }
}
