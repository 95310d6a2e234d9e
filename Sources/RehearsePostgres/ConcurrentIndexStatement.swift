import RehearseCore

/// `CREATE INDEX CONCURRENTLY` and `DROP INDEX CONCURRENTLY` as the fast path runs them: without `CONCURRENTLY`.
///
/// PostgreSQL refuses both inside a transaction block, so a step holding one would otherwise run on copies. When
/// they succeed, the plain forms leave exactly the same index (or its absence) and the same data; they only lock
/// differently, which the `safety` check measures on its own, outside the fast path. Where the concurrent form
/// would fail while the plain one succeeds, the plain one is not used: inside a transaction block (a file the
/// layout wraps in a transaction, or a file with transaction control of its own), for more than one index or with
/// `CASCADE` (which `DROP INDEX CONCURRENTLY` refuses), and on a table the concurrent build refuses (a partitioned
/// or temporary one, checked on the server right before the statement). Any failure of the plain form sends the
/// subject to copies, where the statement runs as written.
struct ConcurrentIndexStatement {
    /// The statement without `CONCURRENTLY`.
    let plainText: String
    /// `CREATE` checks the table it indexes, `DROP` the index it drops; as a qualified, quoted name.
    let relation: String
    let creates: Bool

    /// The plain form of `statement`, or nil when it is not one this type translates.
    init?(_ statement: ScriptStatement) {
        guard let (tag, fields) = PostgresScriptParser.tree(of: statement.text)?.node else { return nil }
        switch tag {
        case "IndexStmt":
            // A `RangeVar *` field: its fields without a node tag around them.
            let range = fields["relation"]
            guard fields["concurrent"].bool, let table = range["relname"].string else { return nil }
            creates = true
            relation = Self.qualified([range["schemaname"].string, table].compactMap { $0 })
        case "DropStmt":
            guard fields["concurrent"].bool, fields["removeType"].string == "OBJECT_INDEX",
                  fields["behavior"].string != "DROP_CASCADE", fields["objects"].list.count == 1,
                  let names = fields["objects"].list[0].names, !names.isEmpty else { return nil }
            creates = false
            relation = Self.qualified(names)
        default:
            return nil
        }
        var bytes = Array(statement.text.utf8)
        guard let keyword = SQLLexer(bytes: bytes).firstWord("CONCURRENTLY") else { return nil }
        bytes.replaceSubrange(keyword, with: Array(" ".utf8))
        let plain = String(decoding: bytes, as: UTF8.self)
        // The parser must read the same statement, only not concurrent.
        guard let (plainTag, plainFields) = PostgresScriptParser.tree(of: plain)?.node, plainTag == tag,
              !plainFields["concurrent"].bool else { return nil }
        plainText = plain
    }

    /// The SQL that says, on the session about to run the statement, whether the concurrent form would refuse
    /// its relation: `t` for a partitioned or temporary table (or partitioned index), `f` otherwise or when it
    /// does not exist (then both forms fail alike).
    var refusalQuery: String {
        let name = PostgresCatalogSession.literal(relation)
        let refused = creates ? "c.relkind NOT IN ('r', 'm') OR c.relpersistence = 't'" : "c.relkind <> 'i' OR c.relpersistence = 't'"
        return "SELECT COALESCE((SELECT \(refused) FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass(\(name))), false)"
    }

    /// `"schema"."name"`, quoted as `to_regclass` reads it.
    private static func qualified(_ names: [String]) -> String {
        names.map(PostgresEngine.quoted).joined(separator: ".")
    }
}
