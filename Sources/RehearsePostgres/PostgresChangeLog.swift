/// Which catalog objects the DDL of the fast path's transaction touched, recorded by the server itself, so that a
/// snapshot inside the step reads again only what may have changed (``PostgresCatalogScope``).
///
/// Two event triggers (`ddl_command_end` and `sql_drop`, enabled always, so `session_replication_role` cannot
/// silence them) append `classid:objid` of every object a command created, altered, commented or dropped to a
/// setting local to the transaction. Because the setting is transactional, rolling back to a savepoint takes the
/// entries of what was rolled back out of the log together with the changes themselves: at any moment the log
/// names every object whose catalog rows differ from what they were when the transaction began.
///
/// The triggers exist only inside the step's transaction: they are created right after its `BEGIN` and dropped just
/// before its `COMMIT`, so no copy, dump or later step ever sees them, and an aborted step takes them away with
/// everything else. Their function, in `pg_catalog` (which no snapshot and no dump reads), stays once a step that
/// made it commits: a function made afresh for every step would be compiled again in every step, and PL/pgSQL keeps
/// each compiled function of a session for the session's life. Creating an event trigger needs a superuser; without one there is no log
/// and every snapshot is read whole.
///
/// The log starts with a token of this database's, so a log that a script's `RESET ALL` emptied (Rehearse's own
/// session reset keeps it) reads as missing, not as "nothing changed". Event triggers do not fire for shared objects
/// (roles, tablespaces), for event triggers themselves, or for writes into the catalog tables; the scope keeps
/// those cases whole (see ``PostgresCatalogScope``).
struct PostgresChangeLog {
    /// The transaction-local setting that holds the log.
    static let setting = "rehearse.catalog_changes"
    /// The function the triggers run; in `pg_catalog`, which no snapshot reads.
    static let function = "pg_catalog.rehearse_catalog_change_log"
    /// The triggers' names, which the snapshot of event triggers leaves out.
    static let triggers = ["rehearse_catalog_changes_end", "rehearse_catalog_changes_drop"]
    /// A log longer than this stops being kept: the next snapshots are read whole. It bounds the cost of appending.
    static let limit = 100_000

    /// The first word of every log this database writes.
    let token: String

    init(token: String = "rehearse-" + String(UInt64.random(in: 1...UInt64.max), radix: 16)) {
        self.token = token
    }

    /// A condition, on an event trigger's name, that holds for every event trigger but the log's own.
    static func notItsOwn(_ name: String) -> String {
        "\(name) <> ALL (ARRAY['\(triggers.joined(separator: "', '"))']::pg_catalog.name[])"
    }

    /// Creates the function (unless `withFunction` is false: it is there already) and the triggers, and starts the
    /// log; run right after `BEGIN`.
    func installSQL(withFunction: Bool) -> String {
        (withFunction ? Self.functionSQL + ";\n" : "") + """
        CREATE EVENT TRIGGER \(Self.triggers[0]) ON ddl_command_end EXECUTE FUNCTION \(Self.function)();
        CREATE EVENT TRIGGER \(Self.triggers[1]) ON sql_drop EXECUTE FUNCTION \(Self.function)();
        ALTER EVENT TRIGGER \(Self.triggers[0]) ENABLE ALWAYS;
        ALTER EVENT TRIGGER \(Self.triggers[1]) ENABLE ALWAYS;
        SELECT pg_catalog.set_config('\(Self.setting)', '\(token)', true)
        """
    }

    /// The triggers' function; `OR REPLACE`, since a copy of a database that has it has it too.
    static let functionSQL = """
        CREATE OR REPLACE FUNCTION \(function)() RETURNS pg_catalog.event_trigger LANGUAGE plpgsql AS $rehearse$
        DECLARE
            log pg_catalog.text := \(currentText);
            entry record;
        BEGIN
            IF log IS NULL OR pg_catalog.length(log) > \(limit) THEN
                log := 'overflow';
            ELSIF TG_EVENT = 'sql_drop' THEN
                FOR entry IN SELECT classid, objid FROM pg_catalog.pg_event_trigger_dropped_objects() LOOP
                    log := pg_catalog.concat(log, ' ', entry.classid, ':', entry.objid);
                END LOOP;
            ELSE
                FOR entry IN SELECT classid, objid FROM pg_catalog.pg_event_trigger_ddl_commands() LOOP
                    log := pg_catalog.concat(log, ' ', entry.classid, ':', entry.objid);
                END LOOP;
            END IF;
            PERFORM pg_catalog.set_config('\(setting)', log, true);
        END
        $rehearse$
        """

    /// Drops the triggers; run just before `COMMIT`.
    static let removeSQL = "DROP EVENT TRIGGER \(triggers[0]); DROP EVENT TRIGGER \(triggers[1])"

    /// The log as it stands: an SQL expression, and a statement that reads it.
    static let currentText = "pg_catalog.current_setting('\(setting)', true)"
    static let readSQL = "SELECT \(currentText)"

    /// The entries of a log text (`text`, an SQL expression) as rows of `classid` and `objid`; the words that are no
    /// entry (the token, `overflow`) are left out. The one reading of the log's format on the server's side.
    static func entriesSQL(of text: String) -> String {
        """
        SELECT pg_catalog.split_part(e, ':', 1)::pg_catalog.oid AS classid, pg_catalog.split_part(e, ':', 2)::pg_catalog.oid AS objid
        FROM pg_catalog.unnest(pg_catalog.string_to_array(\(text), ' ')) AS e WHERE e LIKE '%:%'
        """
    }

    /// Whether the current user may create event triggers.
    static let canInstallSQL = "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user"

    /// One logged object.
    struct Entry: Hashable {
        var classid: UInt32
        var objid: UInt32
    }

    /// The entries of `value`, a log as read from the server; nil when it is not a whole log of this database's
    /// (missing, reset by a script, or given up for length).
    func entries(of value: String?) -> [Entry]? {
        guard let value, value == token || value.hasPrefix(token + " ") else { return nil }
        var entries: [Entry] = []
        for word in value.dropFirst(token.count).split(separator: " ") {
            let parts = word.split(separator: ":")
            guard parts.count == 2, let classid = UInt32(parts[0]), let objid = UInt32(parts[1]) else { return nil }
            entries.append(Entry(classid: classid, objid: objid))
        }
        return entries
    }
}
