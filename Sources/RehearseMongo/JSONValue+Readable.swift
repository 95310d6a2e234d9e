extension JSONValue {
    /// The value as a mongo shell user reads it: `{ number: 1, status: -1 }`, keys unquoted where they can be.
    var readable: String {
        switch self {
        case let .object(members):
            if members.isEmpty { return "{}" }
            return "{ " + members.map { Self.readableKey($0.key) + ": " + $0.value.readable }.joined(separator: ", ") + " }"
        case let .array(elements):
            if elements.isEmpty { return "[]" }
            return "[ " + elements.map(\.readable).joined(separator: ", ") + " ]"
        default:
            return jsonText
        }
    }

    /// ``readable`` broken over indented lines when it is longer than `width`, so that a line diff of two
    /// definitions points at the member that changed.
    func readableLines(indent: String = "", width: Int = 72) -> [String] {
        let flat = readable
        guard flat.count + indent.count > width else { return [indent + flat] }
        switch self {
        case let .object(members) where !members.isEmpty:
            var lines = [indent + "{"]
            for (index, member) in members.enumerated() {
                let comma = index == members.count - 1 ? "" : ","
                var child = member.value.readableLines(indent: indent + "  ", width: width)
                child[0] = indent + "  " + Self.readableKey(member.key) + ": " + child[0].dropFirst(indent.count + 2)
                child[child.count - 1] += comma
                lines += child
            }
            return lines + [indent + "}"]
        case let .array(elements) where !elements.isEmpty:
            var lines = [indent + "["]
            for (index, element) in elements.enumerated() {
                var child = element.readableLines(indent: indent + "  ", width: width)
                if index < elements.count - 1 { child[child.count - 1] += "," }
                lines += child
            }
            return lines + [indent + "]"]
        default:
            return [indent + flat]
        }
    }

    private static func readableKey(_ key: String) -> String {
        guard let first = key.unicodeScalars.first,
              first == "_" || first == "$" || (first.properties.isAlphabetic && first.isASCII),
              key.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "$") })
        else { return quoted(key) }
        return key
    }
}
