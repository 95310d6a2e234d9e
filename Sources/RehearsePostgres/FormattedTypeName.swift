/// A type as `format_type` prints it with `search_path` set to `pg_catalog` only, which is how the catalog snapshot
/// writes the argument types of a function's name (`public.add(integer, character varying)`).
///
/// Built-in types print under their SQL names (`integer`, `timestamp with time zone`), other types are qualified
/// (`public.mood`), arrays end with `[]`, type modifiers are dropped. Returns nil where the text cannot be known
/// from the statement alone (`%TYPE`, an unqualified type when no schema is being created into).
enum FormattedTypeName {
    /// `typeName` is a `TypeName` node's fields; `schema` is where unqualified user types are looked for.
    static func text(of typeName: ParseNode, schema: String?) -> String? {
        guard !typeName["pct_type"].bool, let names = typeName["names"].names, let last = names.last else { return nil }
        let base: String
        switch names.count {
        case 1 where builtins.contains(last):
            base = builtin(last)
        case 1:
            guard let schema else { return nil }
            base = identifier(schema) + "." + identifier(last)
        default:
            let schemaName = names[names.count - 2]
            base = schemaName == "pg_catalog" ? builtin(last) : identifier(schemaName) + "." + identifier(last)
        }
        return typeName["arrayBounds"].list.isEmpty ? base : base + "[]"
    }

    /// The SQL spelling `format_type` gives a `pg_catalog` type.
    private static func builtin(_ name: String) -> String {
        switch name {
        case "bool": "boolean"
        case "int2": "smallint"
        case "int4": "integer"
        case "int8": "bigint"
        case "float4": "real"
        case "float8": "double precision"
        case "bpchar": "character"
        case "varchar": "character varying"
        case "varbit": "bit varying"
        case "timestamp": "timestamp without time zone"
        case "timestamptz": "timestamp with time zone"
        case "time": "time without time zone"
        case "timetz": "time with time zone"
        case "char": "\"char\""
        case "any": "\"any\""
        default: identifier(name)
        }
    }

    /// `quote_ident`, for the names that need no keyword check: plain lower-case names stay bare.
    static func identifier(_ name: String) -> String {
        let plain = name.unicodeScalars.enumerated().allSatisfy { offset, scalar in
            ("a"..."z").contains(scalar) || scalar == "_" || (offset > 0 && (("0"..."9").contains(scalar) || scalar == "$"))
        }
        return plain && !name.isEmpty ? name : "\"" + name.doubling("\"") + "\""
    }

    /// The types of `pg_catalog` that an unqualified name resolves to before any schema of the search path.
    static let builtins: Set<String> = [
        "bool", "bytea", "char", "name", "int8", "int2", "int2vector", "int4", "regproc", "text", "oid", "tid", "xid",
        "cid", "oidvector", "json", "xml", "point", "lseg", "path", "box", "polygon", "line", "float4", "float8",
        "circle", "money", "macaddr", "inet", "cidr", "macaddr8", "aclitem", "bpchar", "varchar", "date", "time",
        "timestamp", "timestamptz", "interval", "timetz", "bit", "varbit", "numeric", "refcursor", "regprocedure",
        "regoper", "regoperator", "regclass", "regcollation", "regtype", "regrole", "regnamespace", "regconfig",
        "regdictionary", "uuid", "pg_lsn", "tsvector", "tsquery", "gtsvector", "txid_snapshot", "pg_snapshot", "xid8",
        "jsonb", "jsonpath", "int4range", "numrange", "tsrange", "tstzrange", "daterange", "int8range",
        "int4multirange", "nummultirange", "tsmultirange", "tstzmultirange", "datemultirange", "int8multirange",
        "record", "cstring", "any", "anyarray", "void", "trigger", "event_trigger", "language_handler", "internal",
        "anyelement", "anynonarray", "anyenum", "fdw_handler", "index_am_handler", "tsm_handler", "table_am_handler",
        "anyrange", "anymultirange", "anycompatible", "anycompatiblearray", "anycompatiblenonarray",
        "anycompatiblerange", "anycompatiblemultirange", "pg_ddl_command", "unknown",
    ]
}
