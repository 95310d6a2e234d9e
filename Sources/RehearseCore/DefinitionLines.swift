/// Splits a catalog definition into lines a reviewer can diff: a long one-line definition (a view, a function, a
/// CHECK constraint written on one line) is broken before its clauses and after its top-level commas, so a
/// difference points at the changed part instead of at a 2,000-character line.
enum DefinitionLines {
    /// Lines longer than this are broken up.
    static let width = 100

    /// Clause keywords a long line is broken before (outside quotes).
    private static let breakBefore = [
        " FROM ", " WHERE ", " JOIN ", " LEFT JOIN ", " RIGHT JOIN ", " INNER JOIN ", " FULL JOIN ", " CROSS JOIN ",
        " GROUP BY ", " ORDER BY ", " HAVING ", " UNION ", " EXCEPT ", " INTERSECT ", " LIMIT ", " AND ", " OR ",
        " WHEN ", " ELSE ", " RETURNING ", " ON CONFLICT ", " VALUES ", " BEGIN ", " END",
    ]

    static func lines(_ definition: String) -> [String] {
        definition.split(separator: "\n", omittingEmptySubsequences: false).flatMap { line -> [String] in
            line.count <= width ? [String(line)] : wrap(String(line))
        }
    }

    /// Breaks one long line before clause keywords and after commas that are outside quotes and parentheses
    /// deeper than one level.
    static func wrap(_ line: String) -> [String] {
        let characters = Array(line)
        var pieces: [String] = []
        var current = ""
        var depth = 0
        var quote: Character?
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if let open = quote {
                current.append(character)
                if character == open { quote = nil }
                index += 1
                continue
            }
            switch character {
            case "'", "\"": quote = character
            case "(": depth += 1
            case ")": depth = max(0, depth - 1)
            default: break
            }
            if depth <= 1, current.count > 20, startsClause(at: index, in: characters) {
                // The keyword, without its leading space, starts the next piece.
                pieces.append(current)
                current = ""
                index += 1
                continue
            }
            current.append(character)
            if character == "," || character == ";", depth <= 1, current.count > 20 {
                pieces.append(current)
                current = ""
                if index + 1 < characters.count, characters[index + 1] == " " { index += 1 }
            }
            index += 1
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces.enumerated().map { $0.offset == 0 ? $0.element : "  " + $0.element }
    }

    private static func startsClause(at index: Int, in characters: [Character]) -> Bool {
        breakBefore.contains { keyword in
            let keywordCharacters = Array(keyword)
            guard index + keywordCharacters.count <= characters.count else { return false }
            return zip(keywordCharacters, characters[index...]).allSatisfy { $0.uppercased() == $1.uppercased() }
        }
    }
}
