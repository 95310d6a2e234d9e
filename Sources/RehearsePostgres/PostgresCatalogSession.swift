/// Runs catalog reads with session settings pinned, and puts the caller's settings back afterwards.
///
/// `pg_get_indexdef`, `format_type` and friends qualify names by the session's `search_path`, and
/// dates, floats and bytea print according to `DateStyle`, `extra_float_digits`, `bytea_output`, …
/// A migration may change any of these for its session, so both readers fix them while they read
/// and then restore whatever the session had, leaving the connection as they found it.
enum PostgresCatalogSession {
    /// With only `pg_catalog` on the path every user object is printed schema-qualified.
    static let snapshotSettings: [(name: String, value: String)] = [
        ("search_path", "pg_catalog"),
    ]

    /// Value output that does not depend on how a migration left the session.
    static let fingerprintSettings: [(name: String, value: String)] = [
        ("search_path", "pg_catalog"),
        ("DateStyle", "ISO, MDY"),
        ("IntervalStyle", "postgres"),
        ("TimeZone", "UTC"),
        ("extra_float_digits", "1"),
        ("bytea_output", "hex"),
        ("lc_monetary", "C"),
    ]

    /// Sets `settings` for the session, runs `body`, then restores the previous values even when `body` throws.
    ///
    /// - Throws: whatever `query` or `body` throws; a failure to restore is thrown only when `body` succeeded.
    static func pinned<T>(
        _ settings: [(name: String, value: String)],
        query: (String) throws -> [[String?]],
        _ body: () throws -> T
    ) throws -> T {
        var saved: [(name: String, value: String)] = []
        for setting in settings {
            let rows = try query("SELECT pg_catalog.current_setting(\(literal(setting.name)))")
            saved.append((setting.name, rows.first?.first.flatMap { $0 } ?? ""))
        }
        // Restore in reverse so a half-applied list unwinds exactly.
        func restore() throws {
            for setting in saved.reversed() {
                _ = try query("SELECT pg_catalog.set_config(\(literal(setting.name)), \(literal(setting.value)), false)")
            }
        }
        let result: T
        do {
            for setting in settings {
                _ = try query("SELECT pg_catalog.set_config(\(literal(setting.name)), \(literal(setting.value)), false)")
            }
            result = try body()
        } catch {
            try? restore()
            throw error
        }
        try restore()
        return result
    }

    /// A SQL string literal, read the same whatever `standard_conforming_strings` says.
    static func literal(_ text: String) -> String {
        let quoted = "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        guard text.contains("\\") else { return quoted }
        return "E" + quoted.replacingOccurrences(of: "\\", with: "\\\\")
    }
}
