/// The `-- rehearse:allow <rule>[, <rule>…] [reason]` comments of one file.
///
/// A directive silences its rules for the statement that follows its comment block: it may stand on the line
/// right before the statement or on any comment line directly above it, so a reason can go on its own line.
/// Rule names are separated by commas; the first word not followed by a comma ends the list, and the rest of the
/// line is the reason.
struct AllowDirectives: Sendable {
    static let marker = "rehearse:allow"

    /// A directive's rules, by its 1-based line.
    private(set) var rules: [Int: [String]] = [:]
    /// Whether each 1-based line holds only a `--` comment.
    private var commentOnly: [Bool] = [false]

    init(text: String) {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            commentOnly.append(trimmed.hasPrefix("--"))
            guard let range = line.range(of: "--") else { continue }
            let comment = line[range.upperBound...].drop { $0 == " " || $0 == "\t" || $0 == "-" }
            guard comment.hasPrefix(Self.marker) else { continue }
            rules[index + 1] = Self.names(in: comment.dropFirst(Self.marker.count))
        }
    }

    /// The rule names of one directive's text after `rehearse:allow`.
    static func names(in text: Substring) -> [String] {
        var names: [String] = []
        var rest = text[...]
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
            guard !name.isEmpty else { break }
            names.append(String(name))
            rest = rest.dropFirst(name.count).drop { $0 == " " || $0 == "\t" }
            guard rest.first == "," else { break }
            rest = rest.dropFirst()
        }
        return names
    }

    /// The rules allowed for a statement starting on `line`: the directives of the comment lines directly above it.
    func allowed(before line: Int) -> Set<String> {
        var result = Set<String>()
        var current = line - 1
        while current >= 1, current < commentOnly.count, commentOnly[current] {
            result.formUnion(rules[current] ?? [])
            current -= 1
        }
        return result
    }

    /// The rules of the comment block a file starts with, which also cover a file that cannot be parsed.
    var leadingRules: Set<String> {
        var result = Set<String>()
        var current = 1
        while current < commentOnly.count, commentOnly[current] {
            result.formUnion(rules[current] ?? [])
            current += 1
        }
        return result
    }
}
