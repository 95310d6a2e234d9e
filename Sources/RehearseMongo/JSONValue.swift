/// A JSON value with its members in source order, as read by ``ExtendedJSONScanner``.
///
/// Extended JSON is plain JSON whose special values (`{"$oid": …}`, `{"$numberLong": …}`) are objects, so one
/// tree serves scripts, server replies and documents. Key order is kept: it is significant in BSON (index keys,
/// command names come first).
indirect enum JSONValue: Sendable, Equatable {
    case object([JSONMember])
    case array([JSONValue])
    case string(String)
    /// The number exactly as written, so that `1` and `1.0` stay distinguishable.
    case number(String)
    case bool(Bool)
    case null

    /// The value of the first member called `key`, when this is an object.
    subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    var members: [JSONMember]? {
        if case let .object(members) = self { return members }
        return nil
    }

    var elements: [JSONValue]? {
        if case let .array(elements) = self { return elements }
        return nil
    }

    var stringValue: String? {
        if case let .string(text) = self { return text }
        return nil
    }

    var boolValue: Bool? {
        if case let .bool(flag) = self { return flag }
        return nil
    }

    /// The numeric value of a plain number or of `{"$numberInt"|"$numberLong"|"$numberDouble": "…"}`.
    var numericValue: Double? {
        switch self {
        case let .number(literal): return Double(literal)
        case let .object(members) where members.count == 1:
            guard ["$numberInt", "$numberLong", "$numberDouble"].contains(members[0].key),
                  let text = members[0].value.stringValue
            else { return nil }
            return Double(text)
        default: return nil
        }
    }

    /// The exact integer value, when the number is integral and fits (int64 cursor ids need all 64 bits).
    var integerValue: Int64? {
        switch self {
        case let .number(literal): return Int64(literal)
        case let .object(members) where members.count == 1 && ["$numberInt", "$numberLong"].contains(members[0].key):
            return members[0].value.stringValue.flatMap { Int64($0) }
        default: return nil
        }
    }

    /// Compact JSON text, members in their order; what libbson reads back.
    var jsonText: String {
        var output = ""
        writeJSON(to: &output)
        return output
    }

    private func writeJSON(to output: inout String) {
        switch self {
        case let .object(members):
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += ", " }
                output += Self.quoted(member.key)
                output += ": "
                member.value.writeJSON(to: &output)
            }
            output += "}"
        case let .array(elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += ", " }
                element.writeJSON(to: &output)
            }
            output += "]"
        case let .string(text): output += Self.quoted(text)
        case let .number(literal): output += literal
        case let .bool(flag): output += flag ? "true" : "false"
        case .null: output += "null"
        }
    }

    /// The same value with the members of every object sorted by key, for options whose key order means nothing
    /// (validators, collations, partial filters) so that equal things compare equal.
    var sortedKeys: JSONValue {
        switch self {
        case let .object(members):
            return .object(members.map { JSONMember(key: $0.key, value: $0.value.sortedKeys) }.sorted { $0.key < $1.key })
        case let .array(elements):
            return .array(elements.map(\.sortedKeys))
        default:
            return self
        }
    }

    /// A JSON string literal with the escapes JSON requires.
    static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }
}

/// One `"key": value` pair of a JSON object.
struct JSONMember: Sendable, Equatable {
    let key: String
    let value: JSONValue
}
