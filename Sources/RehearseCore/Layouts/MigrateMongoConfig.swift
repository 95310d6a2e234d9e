import Foundation

/// What Rehearse reads from `migrate-mongo-config.js`: where the migrations are and what the changelog is called.
///
/// The file is JavaScript, and reading it never runs it (it usually reads secrets from the environment): the
/// settings must be string literals, or `path.join(__dirname, "…")` / `path.resolve(__dirname, "…")` of literals.
public struct MigrateMongoConfig: Sendable, Equatable {
    /// migrate-mongo's defaults.
    public static let defaultMigrationsDir = "migrations"
    public static let defaultChangelog = "changelog"
    public static let defaultExtension = ".js"

    /// Relative to the folder holding the config.
    public var migrationsDir: String
    public var changelogCollectionName: String
    public var migrationFileExtension: String

    public init(
        migrationsDir: String = Self.defaultMigrationsDir, changelogCollectionName: String = Self.defaultChangelog,
        migrationFileExtension: String = Self.defaultExtension
    ) {
        self.migrationsDir = migrationsDir
        self.changelogCollectionName = changelogCollectionName
        self.migrationFileExtension = migrationFileExtension
    }

    /// Reads the settings from the config's text; `displayPath` names the file in errors.
    ///
    /// - Throws: ``InputError`` with the line of a setting that is not a literal, or of `moduleSystem: "esm"`
    ///   (the runner loads CommonJS modules only).
    public static func parse(_ text: String, displayPath: String) throws -> MigrateMongoConfig {
        var config = MigrateMongoConfig()
        let lines = text.components(separatedBy: "\n")
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("//") || trimmed.hasPrefix("*") || trimmed.hasPrefix("/*") { continue }
            for key in ["migrationsDir", "changelogCollectionName", "migrationFileExtension", "moduleSystem"] {
                guard let value = try setting(key, in: trimmed, line: index + 1, displayPath: displayPath) else { continue }
                switch key {
                case "migrationsDir": config.migrationsDir = value
                case "changelogCollectionName": config.changelogCollectionName = value
                case "migrationFileExtension": config.migrationFileExtension = value.hasPrefix(".") ? value : "." + value
                default:
                    if value == "esm" {
                        throw InputError(
                            file: displayPath, line: index + 1,
                            "moduleSystem \"esm\" is not supported: Rehearse loads migrations as CommonJS modules (module.exports = { up, down })"
                        )
                    }
                }
            }
        }
        return config
    }

    /// The literal value of `key: …` on this line, nil when the line does not set `key`.
    private static func setting(_ key: String, in line: String, line number: Int, displayPath: String) throws -> String? {
        guard let keyRange = line.range(of: #"(^|[\s{,"'])"# + key + #"["']?\s*:"#, options: .regularExpression) else { return nil }
        let rest = line[keyRange.upperBound...].trimmingCharacters(in: .whitespaces)
        if let literal = leadingLiteral(rest) { return literal }
        if let call = rest.range(of: #"^(path\.)?(join|resolve)\([^)]*\)"#, options: .regularExpression) {
            let inside = rest[call].drop { $0 != "(" }.dropFirst().dropLast()
            let arguments = inside.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let parts = arguments.dropFirst().map(leadingLiteral)
            if arguments.first == "__dirname", !parts.isEmpty, parts.allSatisfy({ $0 != nil }) {
                return parts.compactMap { $0 }.joined(separator: "/")
            }
        }
        throw InputError(
            file: displayPath, line: number,
            "\(key) must be a string literal (or path.join(__dirname, \"…\")): Rehearse reads this file without running it; e.g. \(key): \"\(key == "migrationsDir" ? defaultMigrationsDir : key == "changelogCollectionName" ? defaultChangelog : defaultExtension)\""
        )
    }

    /// The string literal `text` starts with (`"…"`, `'…'` or a template without `${`), nil when it starts otherwise.
    private static func leadingLiteral(_ text: String) -> String? {
        guard let quote = text.first, ["\"", "'", "`"].contains(quote) else { return nil }
        let body = text.dropFirst().prefix { $0 != quote && $0 != "\\" }
        let afterBody = text.dropFirst().dropFirst(body.count)
        guard afterBody.first == quote, !(quote == "`" && body.contains("${")) else { return nil }
        return String(body)
    }
}
