/// The catalog queries of the snapshot, one per object kind.
///
/// Each returns text columns in the order its mapping function in `PostgresCatalogReader+Objects.swift`
/// reads them, the object's comment last. They run with `search_path` set to `pg_catalog` only, so
/// every name that `format_type`, `pg_get_*def` and `pg_get_expr` print is schema-qualified.
///
/// The queries of what belongs to one relation (tables, columns, constraints, indexes, views, sequences, triggers,
/// rules) end with two more columns, which the mapping does not see: the oid of that relation, and the oids of the
/// other catalog rows the object is drawn from, space-separated (see ``PostgresCatalogReader/Read/owner``).
extension PostgresCatalogReader {
    private typealias Exclude = PostgresCatalogExclusions

    /// A relation that is the user's own: in a user schema, not part of an extension or of another object.
    private static func userRelation(_ alias: String, namespace: String) -> String {
        "\(Exclude.userSchema("\(namespace).nspname")) AND \(Exclude.standalone(catalog: "pg_class", oid: "\(alias).oid"))"
    }

    /// Objects that `initdb` did not make: every object a user or an extension creates gets an oid from 16384
    /// (`FirstNormalObjectId`; the counter wraps back to it, never below), while PostgreSQL's own functions and
    /// types, thousands of them, sit below it. The schema filters would drop those anyway, but only after reading
    /// every row; this condition lets the server start at 16384 on the catalog's oid index.
    static func userObject(_ oid: String) -> String {
        "\(oid) >= 16384"
    }

    /// The comment on object `oid` of `catalog` (column `column` of it for a table's column), as `obj_description`
    /// and `col_description` read it. Those are SQL functions the planner cannot inline, so each call ran a query
    /// of its own: a fifth of the snapshot's time went there. This is the same lookup, as a subquery on the
    /// unique index of `pg_description`.
    static func comment(on oid: String, in catalog: String, column: String = "0") -> String {
        "(SELECT dsc.description FROM pg_catalog.pg_description dsc WHERE dsc.objoid = \(oid) "
            + "AND dsc.classoid = 'pg_catalog.\(catalog)'::pg_catalog.regclass AND dsc.objsubid = \(column))"
    }

    /// Columns: schema name, comment.
    static let schemasSQL = """
        SELECT n.nspname, \(comment(on: "n.oid", in: "pg_namespace"))
        FROM pg_catalog.pg_namespace n
        WHERE \(Exclude.userSchema("n.nspname")) AND \(Exclude.standalone(catalog: "pg_namespace", oid: "n.oid"))
        """

    /// Columns: schema, table, relkind, relpersistence, RLS enabled, RLS forced, partition key,
    /// partition parent, partition bound, inheritance parents, reloptions, comment.
    static let tablesSQL = """
        SELECT n.nspname, c.relname, c.relkind::text, c.relpersistence::text,
               c.relrowsecurity::text, c.relforcerowsecurity::text,
               CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
               CASE WHEN c.relispartition THEN
                   (SELECT pn.nspname || '.' || pc.relname
                    FROM pg_catalog.pg_inherits i
                    JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
                    JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
                    WHERE i.inhrelid = c.oid) END,
               CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END,
               CASE WHEN NOT c.relispartition THEN
                   (SELECT pg_catalog.string_agg(pn.nspname || '.' || pc.relname, ', ' ORDER BY i.inhseqno)
                    FROM pg_catalog.pg_inherits i
                    JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
                    JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
                    WHERE i.inhrelid = c.oid) END,
               pg_catalog.array_to_string(c.reloptions, ', '),
               \(comment(on: "c.oid", in: "pg_class")),
               c.oid::text,
               (SELECT pg_catalog.string_agg(i.inhparent::text, ' ') FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid)
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE \(userObject("c.oid")) AND c.relkind IN ('r', 'p') AND \(userRelation("c", namespace: "n"))
        """

    /// Columns: schema, table, column, type, type without modifier, not null, default, identity,
    /// generation expression, collation when not the type's, position among live columns, comment.
    static let columnsSQL = """
        SELECT n.nspname, c.relname, a.attname,
               pg_catalog.format_type(a.atttypid, a.atttypmod),
               pg_catalog.format_type(a.atttypid, NULL),
               a.attnotnull::text,
               CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END,
               a.attidentity::text,
               CASE WHEN a.attgenerated <> '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END,
               CASE WHEN a.attcollation <> t.typcollation THEN
                   CASE WHEN cn.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(co.collname)
                        ELSE pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END
               END,
               pg_catalog.row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum),
               \(comment(on: "c.oid", in: "pg_class", column: "a.attnum")),
               c.oid::text, ad.oid::text
        FROM pg_catalog.pg_attribute a
        JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
        LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
        LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
        WHERE \(userObject("c.oid")) AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND \(userRelation("c", namespace: "n"))
        """

    /// Constraints of tables (not domains, not constraint triggers, not the copies a partition inherits).
    ///
    /// Columns: schema, table, constraint, definition, comment.
    static let constraintsSQL = """
        SELECT n.nspname, c.relname, k.conname, pg_catalog.pg_get_constraintdef(k.oid),
               \(comment(on: "k.oid", in: "pg_constraint")),
               k.conrelid::text, k.oid::text
        FROM pg_catalog.pg_constraint k
        JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE \(userObject("k.conrelid")) AND k.contype <> 't' AND k.conparentid = 0 AND \(userRelation("c", namespace: "n"))
        """

    /// Indexes, except those behind a constraint (shown as the constraint) and partitions of a partitioned index.
    ///
    /// Columns: schema, index, definition, comment.
    static let indexesSQL = """
        SELECT n.nspname, ic.relname, pg_catalog.pg_get_indexdef(i.indexrelid),
               \(comment(on: "ic.oid", in: "pg_class")),
               i.indrelid::text, i.indexrelid::text
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace
        JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
        JOIN pg_catalog.pg_namespace tn ON tn.oid = c.relnamespace
        WHERE \(userObject("i.indrelid")) AND NOT ic.relispartition AND \(userRelation("ic", namespace: "n")) AND \(userRelation("c", namespace: "tn"))
        """

    /// Views and materialized views. Columns: schema, name, relkind, definition, reloptions, comment.
    static let viewsSQL = """
        SELECT n.nspname, c.relname, c.relkind::text, pg_catalog.pg_get_viewdef(c.oid, true),
               pg_catalog.array_to_string(c.reloptions, ', '),
               \(comment(on: "c.oid", in: "pg_class")),
               c.oid::text, NULL
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE \(userObject("c.oid")) AND c.relkind IN ('v', 'm') AND \(userRelation("c", namespace: "n"))
        """

    /// Sequences, except those behind identity columns (shown on the column).
    ///
    /// Columns: schema, name, type, start, increment, min, max, cache, cycle, owning column, comment.
    static let sequencesSQL = """
        SELECT n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, NULL),
               s.seqstart::text, s.seqincrement::text, s.seqmin::text, s.seqmax::text, s.seqcache::text,
               s.seqcycle::text,
               (SELECT tn.nspname || '.' || tc.relname || '.' || ta.attname
                FROM pg_catalog.pg_depend d
                JOIN pg_catalog.pg_class tc ON tc.oid = d.refobjid
                JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
                JOIN pg_catalog.pg_attribute ta ON ta.attrelid = d.refobjid AND ta.attnum = d.refobjsubid
                WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid
                  AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                  AND d.refobjsubid > 0 AND d.deptype = 'a'),
               \(comment(on: "c.oid", in: "pg_class")),
               s.seqrelid::text, NULL
        FROM pg_catalog.pg_sequence s
        JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE \(userObject("s.seqrelid")) AND \(userRelation("c", namespace: "n"))
        """

    /// Functions, procedures, aggregates and window functions.
    ///
    /// Columns: schema, name, argument types, prokind, definition (`pg_get_functiondef`, or the
    /// aggregate's parts), comment.
    static let functionsSQL = """
        SELECT n.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes), p.prokind::text,
               CASE WHEN p.prokind = 'a' THEN
                   (SELECT pg_catalog.concat_ws(' ',
                        'sfunc ' || a.aggtransfn::pg_catalog.regproc::text,
                        'stype ' || pg_catalog.format_type(a.aggtranstype, NULL),
                        CASE WHEN a.aggfinalfn <> 0 THEN 'finalfunc ' || a.aggfinalfn::pg_catalog.regproc::text END,
                        CASE WHEN a.aggcombinefn <> 0 THEN 'combinefunc ' || a.aggcombinefn::pg_catalog.regproc::text END,
                        CASE WHEN a.agginitval IS NOT NULL THEN 'initcond ' || pg_catalog.quote_literal(a.agginitval) END,
                        CASE WHEN a.aggsortop <> 0 THEN 'sortop ' || a.aggsortop::pg_catalog.regoperator::text END,
                        CASE WHEN a.aggkind <> 'n' THEN 'kind ' || a.aggkind::text END,
                        'returns ' || pg_catalog.format_type(p.prorettype, NULL))
                    FROM pg_catalog.pg_aggregate a WHERE a.aggfnoid = p.oid)
               ELSE pg_catalog.pg_get_functiondef(p.oid) END,
               \(comment(on: "p.oid", in: "pg_proc"))
        FROM pg_catalog.pg_proc p
        JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
        WHERE \(userObject("p.oid")) AND \(Exclude.userSchema("n.nspname")) AND \(Exclude.standalone(catalog: "pg_proc", oid: "p.oid"))
        """

    /// User triggers, except the copies a partition inherits. Columns: schema, table, trigger, definition, enabled, comment.
    static let triggersSQL = """
        SELECT n.nspname, c.relname, t.tgname, pg_catalog.pg_get_triggerdef(t.oid), t.tgenabled::text,
               \(comment(on: "t.oid", in: "pg_trigger")),
               t.tgrelid::text, t.oid::text
        FROM pg_catalog.pg_trigger t
        JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE \(userObject("t.tgrelid")) AND NOT t.tgisinternal AND t.tgparentid = 0 AND \(userRelation("c", namespace: "n"))
        """

    /// Enum, domain, composite and range types.
    ///
    /// Columns: schema, name, typtype, definition body (enum labels in order; composite attributes;
    /// domain base type, collation, not null, default and constraints; range subtype), comment.
    /// The types a snapshot shows of their own: enums, domains, ranges and free-standing composite types (a table's
    /// row type and every array type are not). `alias` is the `pg_type` row.
    static func shownType(_ alias: String) -> String {
        """
        (\(alias).typtype IN ('e', 'd', 'r') \
        OR (\(alias).typtype = 'c' AND (SELECT rc.relkind FROM pg_catalog.pg_class rc WHERE rc.oid = \(alias).typrelid) = 'c'))
        """
    }

    static let typesSQL = """
        SELECT n.nspname, t.typname, t.typtype::text,
               CASE t.typtype
                   WHEN 'e' THEN
                       (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
                        FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid)
                   WHEN 'c' THEN
                       (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname) || ' '
                                   || pg_catalog.format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                        FROM pg_catalog.pg_attribute a
                        WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)
                   WHEN 'd' THEN pg_catalog.concat_ws(' ',
                       pg_catalog.format_type(t.typbasetype, t.typtypmod),
                       CASE WHEN t.typcollation <> bt.typcollation THEN
                           'collate ' || (SELECT pg_catalog.quote_ident(co.collname) FROM pg_catalog.pg_collation co
                                          WHERE co.oid = t.typcollation) END,
                       CASE WHEN t.typnotnull THEN 'not null' END,
                       'default ' || t.typdefault,
                       (SELECT pg_catalog.string_agg('constraint ' || pg_catalog.quote_ident(k.conname) || ' '
                                   || pg_catalog.pg_get_constraintdef(k.oid), ' ' ORDER BY k.conname)
                        FROM pg_catalog.pg_constraint k WHERE k.contypid = t.oid))
                   WHEN 'r' THEN
                       (SELECT pg_catalog.concat_ws(' ',
                            'subtype ' || pg_catalog.format_type(r.rngsubtype, NULL),
                            CASE WHEN r.rngcollation <> 0 THEN 'collate ' ||
                                (SELECT pg_catalog.quote_ident(co.collname) FROM pg_catalog.pg_collation co
                                 WHERE co.oid = r.rngcollation) END,
                            'opclass ' || (SELECT o.opcname FROM pg_catalog.pg_opclass o WHERE o.oid = r.rngsubopc),
                            CASE WHEN r.rngcanonical <> 0 THEN 'canonical ' || r.rngcanonical::pg_catalog.regproc::text END,
                            CASE WHEN r.rngsubdiff <> 0 THEN 'subtype_diff ' || r.rngsubdiff::pg_catalog.regproc::text END)
                        FROM pg_catalog.pg_range r WHERE r.rngtypid = t.oid)
               END,
               \(comment(on: "t.oid", in: "pg_type")),
               t.oid::pg_catalog.text, t.oid::pg_catalog.text
        FROM pg_catalog.pg_type t
        JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
        LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
        WHERE \(shownType("t"))
          AND \(userObject("t.oid")) AND \(Exclude.userSchema("n.nspname")) AND \(Exclude.standalone(catalog: "pg_type", oid: "t.oid"))
        """

    /// Extensions, wherever they are installed. Columns: name, version, schema, comment.
    static let extensionsSQL = """
        SELECT e.extname, e.extversion, n.nspname, \(comment(on: "e.oid", in: "pg_extension"))
        FROM pg_catalog.pg_extension e
        JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
        """

    /// Row-level security policies.
    ///
    /// Columns: schema, table, policy, command, permissive, roles, using, with check, comment.
    static let policiesSQL = """
        SELECT n.nspname, c.relname, p.polname, p.polcmd::text, p.polpermissive::text,
               (SELECT pg_catalog.string_agg(r.name, ', ' ORDER BY r.name)
                FROM (SELECT CASE WHEN role = 0 THEN 'public'
                                  ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(role)) END AS name
                      FROM pg_catalog.unnest(p.polroles) AS role) r),
               pg_catalog.pg_get_expr(p.polqual, p.polrelid),
               pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid),
               \(comment(on: "p.oid", in: "pg_policy"))
        FROM pg_catalog.pg_policy p
        JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE \(userObject("p.polrelid")) AND \(userRelation("c", namespace: "n"))
        """

    /// Rewrite rules on tables (`CREATE RULE`), not the `_RETURN` rule behind every view.
    ///
    /// Columns: schema, table, rule, definition, comment.
    static let rulesSQL = """
        SELECT n.nspname, c.relname, r.rulename, pg_catalog.pg_get_ruledef(r.oid),
               \(comment(on: "r.oid", in: "pg_rewrite")),
               r.ev_class::text, r.oid::text
        FROM pg_catalog.pg_rewrite r
        JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE \(userObject("r.ev_class")) AND r.rulename <> '_RETURN' AND \(userRelation("c", namespace: "n"))
        """

    /// Event triggers (database-wide). Columns: name, event, tags, function, enabled, comment.
    static let eventTriggersSQL = """
        SELECT e.evtname, e.evtevent, pg_catalog.array_to_string(e.evttags, ', '),
               e.evtfoid::pg_catalog.regprocedure::text, e.evtenabled::text,
               \(comment(on: "e.oid", in: "pg_event_trigger"))
        FROM pg_catalog.pg_event_trigger e
        WHERE \(Exclude.standalone(catalog: "pg_event_trigger", oid: "e.oid")) AND \(PostgresChangeLog.notItsOwn("e.evtname"))
        """
}
