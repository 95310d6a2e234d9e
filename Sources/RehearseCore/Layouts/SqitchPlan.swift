/// A `sqitch.plan`: the changes in deploy order, the tags after each, and the project name.
///
/// The plan is what Sqitch runs, so it is read as Sqitch reads it: pragmas (`%project=flipr`), change lines
/// (`name [requires !conflicts] 2024-01-01T00:00:00Z Planner <email> # note`) and tag lines (`@v1.0 … # note`),
/// with blank and `#` lines ignored. A change may appear again after a tag (a rework); every requirement must be
/// planned before the change that names it.
public struct SqitchPlan: Sendable, Equatable {
    /// One change line.
    public struct Change: Sendable, Equatable {
        public let name: String
        /// Requirements as written (`users`, `users@v1.0`, `@v1.0`, `other_project:users`).
        public let requires: [String]
        /// The tags on the lines between this change and the next, in plan order (without `@`).
        public var tags: [String]
        /// The line of the plan file.
        public let line: Int
        /// Whether the same name is planned again later (this occurrence's scripts carry a tag suffix).
        public var isReworked: Bool
    }

    public var project: String?
    public var changes: [Change]

    /// Parses the plan shown as `file` in messages.
    ///
    /// - Throws: ``InputError`` naming `file` and the line of a malformed line, a tag before any change, a rework
    ///   without a tag in between, or a requirement not planned earlier.
    public static func parse(_ text: String, file: String) throws -> SqitchPlan {
        var plan = SqitchPlan(project: nil, changes: [])
        var tags: Set<String> = []
        let expected = "expected `<change> [<requires>] <YYYY-MM-DDTHH:MM:SSZ> <planner> <<email>> # <note>`"
        for (index, raw) in text.components(separatedBy: "\n").enumerated() {
            let lineNumber = index + 1
            var line = Substring(raw.hasSuffix("\r") ? String(raw.dropLast()) : raw)
            line = line.drop { $0 == " " || $0 == "\t" }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("%") {
                let pragma = line.dropFirst().split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pragma.count == 2, pragma[0] == "project" { plan.project = pragma[1] }
                continue
            }
            if line.hasPrefix("@") {
                let name = String(line.dropFirst().prefix { !$0.isWhitespace })
                guard !name.isEmpty, let last = plan.changes.indices.last else {
                    throw InputError(file: file, line: lineNumber, name.isEmpty ? "a tag line needs a name after `@`" : "tag @\(name) comes before any change; a tag names the change above it")
                }
                guard !tags.contains(name) else {
                    throw InputError(file: file, line: lineNumber, "tag @\(name) is planned twice")
                }
                tags.insert(name)
                plan.changes[last].tags.append(name)
                continue
            }
            if line.hasPrefix("-") {
                throw InputError(file: file, line: lineNumber, "a `-` (revert) change line is not supported; plan every change as a deploy")
            }
            if line.hasPrefix("+") { line = line.dropFirst() }
            let name = String(line.prefix { !$0.isWhitespace && $0 != "[" })
            var rest = line.dropFirst(name.count).drop(while: \.isWhitespace)
            guard !name.isEmpty, !name.contains("@"), !name.contains(":"), !name.contains("#") else {
                throw InputError(file: file, line: lineNumber, "`\(name)` is not a change name; \(expected)")
            }
            var requires: [String] = []
            if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else {
                    throw InputError(file: file, line: lineNumber, "the dependencies of `\(name)` have no closing `]`; \(expected)")
                }
                let dependencies = rest[rest.index(after: rest.startIndex)..<close].split(whereSeparator: \.isWhitespace).map(String.init)
                requires = dependencies.filter { !$0.hasPrefix("!") }
                rest = rest[rest.index(after: close)...].drop(while: \.isWhitespace)
            }
            guard isTimestamp(rest.prefix { !$0.isWhitespace }) else {
                throw InputError(file: file, line: lineNumber, "change `\(name)` has no planned-at timestamp; \(expected)")
            }
            if let previous = plan.changes.lastIndex(where: { $0.name == name }) {
                guard plan.changes[previous...].contains(where: { !$0.tags.isEmpty }) else {
                    throw InputError(
                        file: file, line: lineNumber,
                        "change `\(name)` is planned again (line \(plan.changes[previous].line)) without a tag in between; Sqitch reworks a change only after a tag"
                    )
                }
                plan.changes[previous].isReworked = true
            }
            for requirement in requires where !isPlanned(requirement, in: plan, tags: tags) {
                throw InputError(file: file, line: lineNumber, "change `\(name)` requires `\(requirement)`, which is not planned before it")
            }
            plan.changes.append(Change(name: name, requires: requires, tags: [], line: lineNumber, isReworked: false))
        }
        return plan
    }

    /// Whether `requirement` names a change or tag planned so far. Another project's change (`project:change`)
    /// cannot be checked from this plan and is accepted.
    private static func isPlanned(_ requirement: String, in plan: SqitchPlan, tags: Set<String>) -> Bool {
        if requirement.contains(":") { return true }
        let parts = requirement.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let change = parts[0]
        let tag = parts.count == 2 ? parts[1] : nil
        if let tag {
            guard let tagged = plan.changes.firstIndex(where: { $0.tags.contains(tag) }) else { return false }
            return change.isEmpty || plan.changes[...tagged].contains { $0.name == change }
        }
        return plan.changes.contains { $0.name == change }
    }

    private static func isTimestamp(_ text: Substring) -> Bool {
        let pattern = Array("dddd-dd-ddTdd:dd:ddZ")
        let characters = Array(text)
        guard characters.count == pattern.count else { return false }
        return zip(characters, pattern).allSatisfy { character, expected in
            expected == "d" ? character.isASCII && character.isNumber : character == expected
        }
    }
}
