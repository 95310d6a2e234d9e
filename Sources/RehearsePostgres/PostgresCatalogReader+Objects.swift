import RehearseCore

/// Row-to-object mapping: one small function per catalog query, reading the columns in the order
/// the query in `PostgresCatalogReader+Queries.swift` documents.
extension PostgresCatalogReader {
    typealias Mapped = (SnapshotObject, comment: String?)

    static func schema(_ row: PostgresCatalogRow) -> Mapped {
        (SnapshotObject(kind: "schema", name: row.text(0), definition: ""), row.optional(1))
    }

    /// `permanent, row level security disabled`, `unlogged, partitioned by RANGE (at), with (fillfactor=70), …`.
    static func table(_ row: PostgresCatalogRow) -> Mapped {
        var parts = [row.text(3) == "u" ? "unlogged" : "permanent"]
        if let key = row.optional(6) { parts.append("partitioned by \(key)") }
        if let parent = row.optional(7) { parts.append("partition of \(parent) \(row.text(8))") }
        if let parents = row.optional(9) { parts.append("inherits \(parents)") }
        if let options = row.optional(10) { parts.append("with (\(options))") }
        switch (row.flag(4), row.flag(5)) {
        case (true, true): parts.append("row level security enabled and forced")
        case (true, false): parts.append("row level security enabled")
        case (false, true): parts.append("row level security disabled but forced")
        case (false, false): parts.append("row level security disabled")
        }
        let name = row.text(0) + "." + row.text(1)
        return (SnapshotObject(kind: "table", name: name, definition: parts.joined(separator: ", ")), row.optional(11))
    }

    /// `character varying(255) not null default 'x'`, `bigint not null identity always`, `text collate "C"`.
    static func column(_ row: PostgresCatalogRow) -> Mapped {
        var parts = [row.text(3)]
        if let collation = row.optional(9) { parts.append("collate \(collation)") }
        if row.flag(5) { parts.append("not null") }
        if let value = row.optional(6) { parts.append("default " + readableDefault(value, type: row.text(4))) }
        switch row.text(7) {
        case "a": parts.append("identity always")
        case "d": parts.append("identity by default")
        default: break
        }
        if let expression = row.optional(8) {
            parts.append("generated always as (\(withoutEnclosingParentheses(expression))) stored")
        }
        let name = [row.text(0), row.text(1), row.text(2)].joined(separator: ".")
        let object = SnapshotObject(kind: "column", name: name, definition: parts.joined(separator: " "), position: row.integer(10))
        return (object, row.optional(11))
    }

    static func constraint(_ row: PostgresCatalogRow) -> Mapped {
        let name = [row.text(0), row.text(1), row.text(2)].joined(separator: ".")
        return (SnapshotObject(kind: "constraint", name: name, definition: row.text(3)), row.optional(4))
    }

    static func index(_ row: PostgresCatalogRow) -> Mapped {
        (SnapshotObject(kind: "index", name: row.text(0) + "." + row.text(1), definition: row.text(2)), row.optional(3))
    }

    /// The view's query on one line, followed by its options (`with (check_option=local)`).
    static func view(_ row: PostgresCatalogRow) -> Mapped {
        var definition = collapsingWhitespace(row.text(3))
        if definition.hasSuffix(";") { definition.removeLast() }
        if let options = row.optional(4) { definition += " with (\(options))" }
        let kind = row.text(2) == "m" ? "materialized view" : "view"
        return (SnapshotObject(kind: kind, name: row.text(0) + "." + row.text(1), definition: definition), row.optional(5))
    }

    /// `as bigint start 1 increment 1 minvalue 1 maxvalue 9223372036854775807 cache 1 no cycle owned by public.t.id`.
    static func sequence(_ row: PostgresCatalogRow) -> Mapped {
        var definition = "as \(row.text(2)) start \(row.text(3)) increment \(row.text(4))"
            + " minvalue \(row.text(5)) maxvalue \(row.text(6)) cache \(row.text(7))"
            + (row.flag(8) ? " cycle" : " no cycle")
        if let owner = row.optional(9) { definition += " owned by \(owner)" }
        return (SnapshotObject(kind: "sequence", name: row.text(0) + "." + row.text(1), definition: definition), row.optional(10))
    }

    /// Named `schema.name(argument types)` so that overloads stay apart; defined by `pg_get_functiondef`.
    static func function(_ row: PostgresCatalogRow) -> Mapped {
        let kind: String
        switch row.text(3) {
        case "p": kind = "procedure"
        case "a": kind = "aggregate"
        default: kind = "function"
        }
        let name = "\(row.text(0)).\(row.text(1))(\(row.text(2)))"
        let definition = withoutTrailingWhitespace(row.text(4))
        return (SnapshotObject(kind: kind, name: name, definition: definition), row.optional(5))
    }

    static func trigger(_ row: PostgresCatalogRow) -> Mapped {
        var definition = row.text(3)
        switch row.text(4) {
        case "D": definition += " (disabled)"
        case "R": definition += " (enabled replica)"
        case "A": definition += " (enabled always)"
        default: break
        }
        let name = [row.text(0), row.text(1), row.text(2)].joined(separator: ".")
        return (SnapshotObject(kind: "trigger", name: name, definition: definition), row.optional(5))
    }

    /// `enum ('sad', 'ok')`, `domain integer not null default 1 constraint …`, `composite (a integer, b text)`, `range subtype …`.
    static func type(_ row: PostgresCatalogRow) -> Mapped {
        let body = row.text(3)
        let definition: String
        switch row.text(2) {
        case "e": definition = "enum (\(body))"
        case "c": definition = "composite (\(body))"
        case "d": definition = "domain \(body)"
        default: definition = "range \(body)"
        }
        return (SnapshotObject(kind: "type", name: row.text(0) + "." + row.text(1), definition: definition), row.optional(4))
    }

    static func extensionObject(_ row: PostgresCatalogRow) -> Mapped {
        (SnapshotObject(kind: "extension", name: row.text(0), definition: "version \(row.text(1)) schema \(row.text(2))"), row.optional(3))
    }

    /// `for SELECT permissive to public using (user_id > 0) with check (…)`.
    static func policy(_ row: PostgresCatalogRow) -> Mapped {
        let command: String
        switch row.text(3) {
        case "r": command = "SELECT"
        case "a": command = "INSERT"
        case "w": command = "UPDATE"
        case "d": command = "DELETE"
        default: command = "ALL"
        }
        var definition = "for \(command) \(row.flag(4) ? "permissive" : "restrictive") to \(row.text(5))"
        if let using = row.optional(6) { definition += " using \(parenthesised(using))" }
        if let check = row.optional(7) { definition += " with check \(parenthesised(check))" }
        let name = [row.text(0), row.text(1), row.text(2)].joined(separator: ".")
        return (SnapshotObject(kind: "policy", name: name, definition: definition), row.optional(8))
    }

    /// A rule reads as the `CREATE RULE` statement that makes it, without the final semicolon.
    static func rule(_ row: PostgresCatalogRow) -> Mapped {
        var definition = collapsingWhitespace(row.text(3))
        if definition.hasSuffix(";") { definition.removeLast() }
        let name = [row.text(0), row.text(1), row.text(2)].joined(separator: ".")
        return (SnapshotObject(kind: "rule", name: name, definition: definition), row.optional(4))
    }

    /// `on ddl_command_end when tag in (CREATE TABLE) execute public.audit_ddl()`, plus its state when not the default.
    static func eventTrigger(_ row: PostgresCatalogRow) -> Mapped {
        var definition = "on \(row.text(1))"
        if let tags = row.optional(2) { definition += " when tag in (\(tags))" }
        definition += " execute \(row.text(3))"
        switch row.text(4) {
        case "D": definition += " (disabled)"
        case "R": definition += " (enabled replica)"
        case "A": definition += " (enabled always)"
        default: break
        }
        return (SnapshotObject(kind: "event trigger", name: row.text(0), definition: definition), row.optional(5))
    }

    /// The comment on `object`, as an object of its own: `comment on column public.users.email`, defined by the quoted text.
    static func comment(_ text: String, on object: SnapshotObject) -> SnapshotObject {
        SnapshotObject(kind: "comment", name: "comment on \(object.kind) \(object.name)", definition: PostgresCatalogSession.literal(text))
    }

    // MARK: - Readable text

    /// Drops the cast PostgreSQL adds to a literal default of the column's own type: `'x'::character varying` reads `'x'`.
    static func readableDefault(_ expression: String, type: String) -> String {
        let cast = "::" + type
        guard expression.hasSuffix(cast) else { return expression }
        let literal = expression.dropLast(cast.count)
        guard literal.count >= 2, literal.first == "'", literal.last == "'" else { return expression }
        // One literal only: inside, every quote is doubled.
        let inside = literal.dropFirst().dropLast().replacingOccurrences(of: "''", with: "")
        return inside.contains("'") ? expression : String(literal)
    }

    /// `(a + b)` becomes `a + b`, but `(a) + (b)` stays as it is.
    static func withoutEnclosingParentheses(_ expression: String) -> String {
        guard expression.first == "(", expression.last == ")" else { return expression }
        var depth = 0
        var inQuote = false
        for (offset, character) in expression.enumerated() {
            if character == "'" { inQuote.toggle() }
            if inQuote { continue }
            if character == "(" { depth += 1 }
            if character == ")" {
                depth -= 1
                if depth == 0 && offset != expression.count - 1 { return expression }
            }
        }
        return String(expression.dropFirst().dropLast())
    }

    /// Wraps `expression` in parentheses unless it already is wrapped as a whole.
    static func parenthesised(_ expression: String) -> String {
        withoutEnclosingParentheses(expression) == expression ? "(\(expression))" : expression
    }

    /// `pg_get_functiondef` ends its text with a newline.
    static func withoutTrailingWhitespace(_ text: String) -> String {
        var text = text
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }

    /// Every run of spaces and newlines becomes one space, so a multi-line view definition reads as one line.
    static func collapsingWhitespace(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }
}
