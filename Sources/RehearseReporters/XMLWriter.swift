/// Builds an indented XML 1.0 document, escaping every attribute value and text node.
///
/// Elements are written in order: ``open(_:_:)`` starts one, ``close()`` ends the innermost, and
/// ``element(_:_:text:)`` writes a whole leaf. Text is never indented or re-wrapped, so a failure body
/// keeps its own lines. Characters XML 1.0 cannot carry at all (most control characters, U+FFFE,
/// U+FFFF) are dropped rather than producing a file that no parser accepts.
public struct XMLWriter: Sendable {
    /// An attribute name and its raw (unescaped) value; attributes keep the order given.
    public typealias Attribute = (name: String, value: String)

    private var text: String
    private var openElements: [String] = []
    private let indentUnit: String

    /// Starts a document with the `<?xml version="1.0" encoding="UTF-8"?>` declaration.
    public init(indent: String = "  ") {
        self.indentUnit = indent
        self.text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    }

    /// Opens `name`; its children are indented one more level until the matching ``close()``.
    public mutating func open(_ name: String, _ attributes: [Attribute] = []) {
        text += indentation + "<" + name + Self.render(attributes) + ">\n"
        openElements.append(name)
    }

    /// Closes the innermost open element.
    ///
    /// Closing with nothing open is a programming error.
    public mutating func close() {
        precondition(!openElements.isEmpty, "XMLWriter.close() without an open element")
        let name = openElements.removeLast()
        text += indentation + "</" + name + ">\n"
    }

    /// Writes a complete element: `<name a="…"/>`, or `<name a="…">text</name>` when `text` is not nil.
    public mutating func element(_ name: String, _ attributes: [Attribute] = [], text body: String? = nil) {
        let start = indentation + "<" + name + Self.render(attributes)
        if let body {
            text += start + ">" + Self.escapeText(body) + "</" + name + ">\n"
        } else {
            text += start + "/>\n"
        }
    }

    /// The document so far; complete once every opened element is closed.
    public var document: String {
        precondition(openElements.isEmpty, "XMLWriter.document with <\(openElements.last ?? "")> still open")
        return text
    }

    private var indentation: String {
        String(repeating: indentUnit, count: openElements.count)
    }

    private static func render(_ attributes: [Attribute]) -> String {
        attributes.map { " \($0.name)=\"\(escapeAttribute($0.value))\"" }.joined()
    }

    // MARK: - Escaping

    /// Escapes a text node: `&`, `<`, `>` (and the quotes, harmlessly), dropping characters XML 1.0 forbids.
    public static func escapeText(_ value: String) -> String {
        escape(value, inAttribute: false)
    }

    /// Escapes an attribute value: also tab, line feed and carriage return become character references,
    /// because a parser would otherwise normalise them to spaces.
    public static func escapeAttribute(_ value: String) -> String {
        escape(value, inAttribute: true)
    }

    /// Whether XML 1.0 allows `scalar` anywhere in a document (the `Char` production).
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    private static func escape(_ value: String, inAttribute: Bool) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(value.unicodeScalars.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t" where inAttribute: result += "&#9;"
            case "\n" where inAttribute: result += "&#10;"
            case "\r": result += "&#13;"
            default:
                if isAllowed(scalar) { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }
}
