import Foundation
import Yams

/// Reads `project-config.yaml`, reporting every problem with the file's line and what was expected.
///
/// Every key is checked against the seed's shape: an unknown one (`polices:`, `compatibilty_matrix:`, `tpye:`)
/// is an error naming its line and the closest known key, never silently ignored.
public struct ProjectConfigParser: Sendable {
    /// The keys each mapping may hold; `metadata.labels` and `metadata.annotations` are free-form.
    static let topKeys = ["apiVersion", "kind", "metadata", "spec"]
    static let metadataKeys = ["name", "description", "labels", "annotations"]
    static let specKeys = ["databases", "migration", "compatibility_matrix", "lint"]
    static let lintKeys = ["allow"]
    static let databaseKeys = ["type", "name", "schemas"]
    static let migrationKeys = ["policies"]
    static let policyKeys = ["require_rollback", "require_validation", "dry_run_first", "backup_before_upgrade"]
    static let compatibilityKeys = ["upgrades_to", "rollback_to"]

    /// The path shown in messages.
    public let displayPath: String

    public init(displayPath: String) {
        self.displayPath = displayPath
    }

    /// Parses the YAML text.
    ///
    /// - Throws: ``InputError`` naming the file, the line and what was expected.
    public func parse(_ text: String) throws -> ProjectConfig {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw InputError(file: displayPath, line: 1, "the file is empty; expected a mapping with `metadata` and `spec`")
            }
            root = node
        } catch let error as YamlError {
            throw InputError(yaml: error, file: displayPath)
        }
        let top = try mapping(root, "the top level")
        try requireKnownKeys(root, Self.topKeys, in: "the top level")
        var config = ProjectConfig()
        if let metadata = top["metadata"] {
            let fields = try mapping(metadata, "`metadata`")
            try requireKnownKeys(metadata, Self.metadataKeys, in: "`metadata`")
            config.name = try fields["name"].map { try string($0, "`metadata.name`") }
            config.description = try fields["description"].map { try string($0, "`metadata.description`") }
        }
        guard let specNode = top["spec"] else {
            throw InputError(file: displayPath, line: root.mark?.line, "missing `spec`; expected `spec.databases` with at least one database")
        }
        let spec = try mapping(specNode, "`spec`")
        try requireKnownKeys(specNode, Self.specKeys, in: "`spec`")
        config.databases = try databases(spec["databases"], parent: specNode)
        if let migration = spec["migration"] {
            let fields = try mapping(migration, "`spec.migration`")
            try requireKnownKeys(migration, Self.migrationKeys, in: "`spec.migration`")
            if let policies = fields["policies"] {
                config.policies = try self.policies(policies)
            }
        }
        if let matrix = spec["compatibility_matrix"] {
            config.compatibilityMatrix = try compatibilityMatrix(matrix)
        }
        if let lint = spec["lint"] {
            config.lint = try self.lint(lint)
        }
        return config
    }

    private func databases(_ node: Node?, parent: Node) throws -> [ProjectConfig.Database] {
        guard let node else {
            throw InputError(file: displayPath, line: parent.mark?.line, "missing `spec.databases`; expected at least one database with `type: postgresql` or `type: mongodb`")
        }
        guard case let .mapping(entries) = node, !entries.isEmpty else {
            throw InputError(file: displayPath, line: node.mark?.line, "`spec.databases` must be a mapping of database keys to `{type, name, schemas}`")
        }
        var result: [ProjectConfig.Database] = []
        for (keyNode, value) in entries {
            let key = try string(keyNode, "a database key")
            let fields = try mapping(value, "`spec.databases.\(key)`")
            try requireKnownKeys(value, Self.databaseKeys, in: "`spec.databases.\(key)`")
            guard let typeNode = fields["type"] else {
                throw InputError(file: displayPath, line: value.mark?.line, "`spec.databases.\(key)` has no `type`; expected `postgresql` or `mongodb`")
            }
            let typeName = try string(typeNode, "`spec.databases.\(key).type`")
            guard let kind = DatabaseKind(rawValue: typeName.lowercased()) else {
                throw InputError(file: displayPath, line: typeNode.mark?.line, "unknown database type `\(typeName)`; expected `postgresql` or `mongodb`")
            }
            if let other = result.first(where: { $0.kind == kind }) {
                throw InputError(file: displayPath, line: typeNode.mark?.line, "`spec.databases.\(key)` is a second \(kind.rawValue) database (`\(other.key)` is the first); the layout holds one database of each type")
            }
            let name = try fields["name"].map { try string($0, "`spec.databases.\(key).name`") }
            let schemas = try fields["schemas"].map { try strings($0, "`spec.databases.\(key).schemas`") } ?? []
            result.append(.init(key: key, kind: kind, name: name, schemas: schemas))
        }
        return result
    }

    private func policies(_ node: Node) throws -> ProjectConfig.Policies {
        var policies = ProjectConfig.Policies()
        let known: [String: WritableKeyPath<ProjectConfig.Policies, Bool>] = [
            "require_rollback": \.requireRollback,
            "require_validation": \.requireValidation,
            "dry_run_first": \.dryRunFirst,
            "backup_before_upgrade": \.backupBeforeUpgrade,
        ]
        for (keyNode, value) in try orderedEntries(node, "`spec.migration.policies`") {
            let key = try string(keyNode, "a policy name")
            guard let path = known[key] else {
                throw InputError(file: displayPath, line: keyNode.mark?.line, "unknown policy `\(key)`\(Self.suggestion(for: key, in: Self.policyKeys)); expected one of \(Self.policyKeys.joined(separator: ", "))")
            }
            policies[keyPath: path] = try bool(value, "`\(key)`")
        }
        return policies
    }

    private func lint(_ node: Node) throws -> ProjectConfig.Lint {
        let fields = try mapping(node, "`spec.lint`")
        try requireKnownKeys(node, Self.lintKeys, in: "`spec.lint`")
        guard let allow = fields["allow"] else { return ProjectConfig.Lint() }
        return ProjectConfig.Lint(allow: try strings(allow, "`spec.lint.allow`"), line: allow.mark?.line)
    }

    private func compatibilityMatrix(_ node: Node) throws -> [SemanticVersion: ProjectConfig.Compatibility] {
        if case .scalar = node, node.null != nil { return [:] }
        var matrix: [SemanticVersion: ProjectConfig.Compatibility] = [:]
        for (keyNode, value) in try orderedEntries(node, "`spec.compatibility_matrix`") {
            let version = try self.version(keyNode, "a version key of `spec.compatibility_matrix`")
            let fields = try mapping(value, "`spec.compatibility_matrix.\(version)`")
            try requireKnownKeys(value, Self.compatibilityKeys, in: "`spec.compatibility_matrix.\(version)`")
            let upgrades = try fields["upgrades_to"].map { try versions($0, "`\(version).upgrades_to`") } ?? []
            let rollbacks = try fields["rollback_to"].map { try versions($0, "`\(version).rollback_to`") } ?? []
            matrix[version] = .init(upgradesTo: upgrades, rollbackTo: rollbacks, line: keyNode.mark?.line)
        }
        return matrix
    }

    // MARK: - Keys

    /// Throws at the first key of the mapping `node` that is not in `known`, naming its line and the closest
    /// known key.
    private func requireKnownKeys(_ node: Node, _ known: [String], in what: String) throws {
        guard case let .mapping(entries) = node else { return }
        for (keyNode, _) in entries {
            let key = try string(keyNode, "a key in \(what)")
            guard !known.contains(key) else { continue }
            throw InputError(
                file: displayPath, line: keyNode.mark?.line, column: keyNode.mark?.column,
                "unknown key `\(key)` in \(what)\(Self.suggestion(for: key, in: known)); expected \(known.map { "`\($0)`" }.joined(separator: ", "))"
            )
        }
    }

    /// `; did you mean `policies`?` for the closest known key.
    static func suggestion(for key: String, in known: [String]) -> String {
        guard let closest = known.min(by: { ChainBuilder.distance($0.lowercased(), key.lowercased()) < ChainBuilder.distance($1.lowercased(), key.lowercased()) }) else { return "" }
        return "; did you mean `\(closest)`?"
    }

    // MARK: - Typed access with line numbers

    private func orderedEntries(_ node: Node, _ what: String = "this entry") throws -> [(Node, Node)] {
        guard case let .mapping(entries) = node else {
            throw InputError(file: displayPath, line: node.mark?.line, "\(what) must be a mapping")
        }
        return entries.map { ($0.key, $0.value) }
    }

    private func mapping(_ node: Node, _ what: String) throws -> [String: Node] {
        guard case let .mapping(entries) = node else {
            throw InputError(file: displayPath, line: node.mark?.line, "\(what) must be a mapping (`key: value` lines)")
        }
        var result: [String: Node] = [:]
        for (key, value) in entries {
            result[try string(key, "a key in \(what)")] = value
        }
        return result
    }

    private func string(_ node: Node, _ what: String) throws -> String {
        guard case let .scalar(scalar) = node else {
            throw InputError(file: displayPath, line: node.mark?.line, "\(what) must be a plain value")
        }
        return scalar.string
    }

    private func strings(_ node: Node, _ what: String) throws -> [String] {
        guard case let .sequence(items) = node else {
            throw InputError(file: displayPath, line: node.mark?.line, "\(what) must be a list, e.g. [\"public\"]")
        }
        return try items.map { try string($0, "an item of \(what)") }
    }

    private func bool(_ node: Node, _ what: String) throws -> Bool {
        guard let value = node.bool else {
            throw InputError(file: displayPath, line: node.mark?.line, "\(what) must be true or false, not `\(node.string ?? "a structure")`")
        }
        return value
    }

    private func version(_ node: Node, _ what: String) throws -> SemanticVersion {
        let text = try string(node, what)
        guard let version = SemanticVersion(text), text.hasPrefix("v") else {
            throw InputError(file: displayPath, line: node.mark?.line, "`\(text)` is not a version; expected v<major>.<minor>.<patch>, e.g. v1.1.0")
        }
        return version
    }

    private func versions(_ node: Node, _ what: String) throws -> [SemanticVersion] {
        guard case let .sequence(items) = node else {
            throw InputError(file: displayPath, line: node.mark?.line, "\(what) must be a list of versions, e.g. [\"v1.1.0\"]")
        }
        return try items.map { try version($0, "an item of \(what)") }
    }
}
