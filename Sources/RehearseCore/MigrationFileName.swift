/// The parsed name of a forward or undo file.
///
/// PostgreSQL follows Flyway: `V1.1.0.001__Add_orders.sql` (forward) and `U1.1.0.001__Add_orders.sql`
/// (its undo). MongoDB files are `001-add-orders.json` or `001-add-orders.js`.
public struct MigrationFileName: Sendable, Equatable {
    public enum Direction: Sendable, Equatable { case forward, undo }

    public let direction: Direction?
    public let number: MigrationNumber
    public let summary: String

    /// Parses a Flyway name; nil when `name` does not follow `V<semver>.<NNN>__<Description>.sql` (or `U…`).
    public static func flyway(_ name: String) -> MigrationFileName? {
        guard name.hasSuffix(".sql"), let prefix = name.first, prefix == "V" || prefix == "U" else { return nil }
        let stem = name.dropFirst().dropLast(".sql".count)
        guard let separator = stem.range(of: "__") else { return nil }
        let summary = stem[separator.upperBound...]
        let versionAndSequence = stem[..<separator.lowerBound]
        guard let lastDot = versionAndSequence.lastIndex(of: "."),
              let version = SemanticVersion(versionAndSequence[..<lastDot]),
              !versionAndSequence[..<lastDot].hasPrefix("v")
        else { return nil }
        let sequenceText = versionAndSequence[versionAndSequence.index(after: lastDot)...]
        guard sequenceText.count >= 3, sequenceText.allSatisfy({ $0.isASCII && $0.isNumber }), let sequence = Int(sequenceText),
              !summary.isEmpty
        else { return nil }
        return MigrationFileName(
            direction: prefix == "V" ? .forward : .undo,
            number: MigrationNumber(version: version, sequence: sequence),
            summary: summary.replacingOccurrences(of: "_", with: " ")
        )
    }

    /// Parses a MongoDB name; nil when `name` does not follow `<NNN>-<description>.json` (or `.js`, a
    /// migrate-mongo JavaScript migration).
    public static func mongo(_ name: String) -> MigrationFileName? {
        let suffix = name.hasSuffix(".json") ? ".json" : name.hasSuffix(".js") ? ".js" : nil
        guard let suffix else { return nil }
        let stem = name.dropLast(suffix.count)
        guard let dash = stem.firstIndex(of: "-") else { return nil }
        let digits = stem[..<dash]
        let summary = stem[stem.index(after: dash)...]
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let sequence = Int(digits), !summary.isEmpty else {
            return nil
        }
        return MigrationFileName(direction: nil, number: MigrationNumber(version: nil, sequence: sequence), summary: summary.replacingOccurrences(of: "-", with: " "))
    }
}
