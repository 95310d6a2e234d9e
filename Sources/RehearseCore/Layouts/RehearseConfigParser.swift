import Yams

/// Reads `rehearse.yaml` (DESIGN.md, "rehearse.yaml").
///
/// Every key is checked: a typo (`irreversable:`) would otherwise silently switch a rule off, so an unknown key at
/// any level is an ``InputError`` naming the line and the closest known key. ``RehearseConfig/lines`` records where
/// each entry stands, so that later errors (a fixture naming a migration that does not exist) point at it too.
public struct RehearseConfigParser: Sendable {
    /// The path shown in messages.
    public let displayPath: String

    static let topKeys = [
        "name", "layout", "irreversible", "idempotence", "schema", "validators", "fixtures", "policies", "extensions_ok",
        "golang-migrate", "allow",
    ]
    static let policyKeys = ["require_rollback", "require_validation"]
    static let fixtureKeys = ["after", "files"]
    static let golangMigrateKeys = ["multi_statement"]

    public init(displayPath: String) {
        self.displayPath = displayPath
    }

    /// The config in `folder`, or nil when it has none.
    ///
    /// - Throws: ``InputError`` naming the line of a malformed value or an unknown key (with the closest known key).
    public static func load(in folder: RepositoryFolder) throws -> RehearseConfig? {
        let file = folder.child("rehearse.yaml")
        guard file.isFile else { return nil }
        var config = try RehearseConfigParser(displayPath: file.display).parse(try file.readText())
        config.folder = folder
        return config
    }

    /// Parses the YAML text.
    ///
    /// - Throws: ``InputError`` naming the file, the line and what was expected.
    public func parse(_ text: String) throws -> RehearseConfig {
        var config = RehearseConfig(displayPath: displayPath)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { return config }
            root = node
        } catch let error as YamlError {
            throw InputError(yaml: error, file: displayPath)
        }
        if isNull(root) { return config }
        for (keyNode, value) in try entries(root, "the top level of rehearse.yaml", known: Self.topKeys) {
            let key = try string(keyNode, "a key")
            config.lines[key] = keyNode.mark?.line
            if isNull(value), key != "name", key != "layout", key != "idempotence", key != "schema" { continue }
            switch key {
            case "name": config.name = try string(value, "`name`")
            case "layout": config.layout = try string(value, "`layout`")
            case "irreversible":
                config.irreversible = try strings(value, "`irreversible`", example: "[V3__drop_legacy]", key: key, lines: &config.lines)
            case "idempotence":
                let text = try string(value, "`idempotence`")
                guard let rule = RehearsalSubject.IdempotenceRule(rawValue: text) else {
                    let known = RehearsalSubject.IdempotenceRule.allCases.map(\.rawValue)
                    throw InputError(
                        file: displayPath, line: value.mark?.line,
                        "`idempotence: \(text)` is not a rule; expected one of \(known.joined(separator: ", "))\(suggestion(text, known))"
                    )
                }
                config.idempotence = rule
            case "schema": config.schema = try string(value, "`schema`")
            case "validators": config.validators = try validators(value, lines: &config.lines)
            case "fixtures": config.fixtures = try fixtures(value, lines: &config.lines)
            case "policies":
                for (policyKey, policyValue) in try entries(value, "`policies`", known: Self.policyKeys) {
                    let name = try string(policyKey, "a policy name")
                    config.lines["policies." + name] = policyKey.mark?.line
                    let on = try bool(policyValue, "`policies.\(name)`")
                    if name == "require_rollback" { config.requireRollback = on } else { config.requireValidation = on }
                }
            case "extensions_ok":
                config.extensionsOK = try strings(value, "`extensions_ok`", example: "[pgcrypto, citext]", key: key, lines: &config.lines)
            case "golang-migrate":
                for (optionKey, optionValue) in try entries(value, "`golang-migrate`", known: Self.golangMigrateKeys) {
                    config.lines["golang-migrate.multi_statement"] = optionKey.mark?.line
                    config.golangMigrateMultiStatement = try bool(optionValue, "`golang-migrate.multi_statement`")
                }
            case "allow":
                config.allow = try strings(value, "`allow`", example: "[create-index-non-concurrently]", key: key, lines: &config.lines)
            default:
                break  // entries(_:_:known:) admits only the keys above
            }
        }
        return config
    }

    private func validators(_ node: Node, lines: inout [String: Int]) throws -> [String: [String]] {
        guard case let .mapping(mapping) = node else {
            throw InputError(file: displayPath, line: node.mark?.line, "`validators` must map migration ids to lists of files, e.g. `V2__add_email: [checks/email.sql]`")
        }
        var result: [String: [String]] = [:]
        for (keyNode, value) in mapping {
            let id = try string(keyNode, "a migration id under `validators`")
            lines["validators." + id] = keyNode.mark?.line
            result[id, default: []] += try files(value, "`validators.\(id)`")
        }
        return result
    }

    private func fixtures(_ node: Node, lines: inout [String: Int]) throws -> [RehearseConfig.Fixture] {
        guard case let .sequence(items) = node else {
            throw InputError(file: displayPath, line: node.mark?.line, "`fixtures` must be a list of `{after: <migration id>, files: [...]}`")
        }
        var result: [RehearseConfig.Fixture] = []
        for item in items {
            var after: String?
            var files: [String] = []
            var afterLine: Int?
            for (keyNode, value) in try entries(item, "an item of `fixtures`", known: Self.fixtureKeys) {
                if try string(keyNode, "a key") == "after" {
                    after = try string(value, "`after`")
                    afterLine = keyNode.mark?.line
                } else {
                    files = try self.files(value, "`files`")
                }
            }
            guard let after, !after.isEmpty else {
                throw InputError(file: displayPath, line: item.mark?.line, "this fixture has no `after`; expected `{after: <migration id>, files: [...]}`")
            }
            guard !files.isEmpty else {
                throw InputError(file: displayPath, line: item.mark?.line, "the fixture after `\(after)` names no `files`")
            }
            let line = afterLine ?? item.mark?.line
            if lines["fixtures." + after] == nil { lines["fixtures." + after] = line }
            result.append(.init(after: after, files: files, line: line))
        }
        return result
    }

    /// A list of repository-relative files; one file may stand alone (`files: data/seed.sql`).
    private func files(_ node: Node, _ what: String) throws -> [String] {
        if case .scalar = node { return [try string(node, what)] }
        var unused: [String: Int] = [:]
        return try strings(node, what, example: "[checks/users.sql]", key: nil, lines: &unused)
    }

    // MARK: - Typed access with line numbers

    /// The entries of a mapping, rejecting keys outside `known` with the closest known key.
    private func entries(_ node: Node, _ what: String, known: [String]) throws -> [(Node, Node)] {
        guard case let .mapping(mapping) = node else {
            throw InputError(file: displayPath, line: node.mark?.line, "\(what) must be a mapping (`key: value` lines) of \(known.joined(separator: ", "))")
        }
        for (keyNode, _) in mapping {
            let key = try string(keyNode, "a key in \(what)")
            guard known.contains(key) else {
                throw InputError(
                    file: displayPath, line: keyNode.mark?.line,
                    "unknown key `\(key)` in \(what)\(suggestion(key, known)); known keys: \(known.joined(separator: ", "))"
                )
            }
        }
        return mapping.map { ($0.key, $0.value) }
    }

    private func suggestion(_ word: String, _ known: [String]) -> String {
        guard let closest = known.min(by: { ChainBuilder.distance($0, word) < ChainBuilder.distance($1, word) }),
              ChainBuilder.distance(closest, word) <= max(2, word.count / 2)
        else { return "" }
        return "; did you mean `\(closest)`?"
    }

    private func isNull(_ node: Node) -> Bool {
        if case let .scalar(scalar) = node, scalar.style == .plain, node.null != nil { return true }
        return false
    }

    private func string(_ node: Node, _ what: String) throws -> String {
        guard case let .scalar(scalar) = node, !isNull(node) else {
            throw InputError(file: displayPath, line: node.mark?.line, "\(what) must be a plain value")
        }
        return scalar.string
    }

    /// A list of plain values; with `key`, records each value's line as `lines["<key>.<value>"]`.
    private func strings(_ node: Node, _ what: String, example: String, key: String?, lines: inout [String: Int]) throws -> [String] {
        guard case let .sequence(items) = node else {
            throw InputError(file: displayPath, line: node.mark?.line, "\(what) must be a list, e.g. \(example)")
        }
        var values: [String] = []
        for item in items {
            let value = try string(item, "an item of \(what)")
            if let key, lines[key + "." + value] == nil { lines[key + "." + value] = item.mark?.line }
            values.append(value)
        }
        return values
    }

    private func bool(_ node: Node, _ what: String) throws -> Bool {
        guard case .scalar = node, let value = node.bool else {
            throw InputError(file: displayPath, line: node.mark?.line, "\(what) must be true or false, not `\(node.string ?? "a structure")`")
        }
        return value
    }
}
