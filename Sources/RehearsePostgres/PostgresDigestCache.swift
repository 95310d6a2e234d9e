import RehearseCore

/// The data digests of a ``PostgresDatabase``'s tables as last read inside the fast path's transaction, so that the
/// next digest reads again only the tables that may have changed since (see ``PostgresDataReader/digestState``).
///
/// A table's digest is reused only when its state row is the same as when it was read: the same columns (name, type,
/// modifier, position), the same file (`relfilenode`) and the same counts of inserted, updated and deleted rows
/// in this transaction (`pg_stat_get_xact_tuples_*`, which count every attempt, also in rolled-back savepoints, so
/// they only grow). The columns, the costly part of the state, are not read again for a table that the step's
/// change log (``PostgresChangeLog``) named neither then nor now and that has no inheritance: its columns are
/// those the transaction began with, both times. A table the transaction itself created or altered (its `pg_class` row is the transaction's),
/// a partitioned table, and a table with a column of a user-defined type (whose output a step could change) are
/// always read again. With `track_counts` off the counts stay zero, so nothing is reused.
///
/// Inside a step, a table this transaction holds no lock on is as the last digest saw it: every change to a table,
/// of its rows or its definition, locks it until the transaction ends, unless it was rolled back with its savepoint,
/// which also undid the change. So the later state reads of a step read only the locked tables and those without an
/// entry (``PostgresDatabase/lockedStates(_:known:)``), unless the change log is missing or names a schema (whose
/// rename renames its tables without locking them).
///
/// The counts belong to one transaction, and rolling back to a savepoint takes rows away without lowering them.
/// So digests are reused only inside the step that read them, while every branch that was open when they were read
/// is still open ("stamp"); and, across a commit, only when the commit found every table as the digests saw it and
/// nothing ran on the database before the next step began.
struct PostgresDigestCache {
    /// Which step read the digests and which of its branches were open then.
    struct Stamp: Equatable {
        var step: Int
        var branches: [String]
    }

    /// One table: its state when read (file and kind; columns and primary key), and what was read.
    struct Entry {
        var oid: String
        var light: String
        var full: String
        var counts: String
        var data: TableData
        /// Whether it has a column of a user-defined type.
        var userTyped: Bool
        /// Whether the change log named the table when its digest was read (always, in a step without a log): its
        /// columns may then differ from the transaction's start, so they are always read again to compare.
        var loggedWhenRead: Bool

        /// Whether `state` (read now) shows the same table with the same file, kind, columns and primary key.
        func sameTable(_ state: PostgresDataReader.DigestState) -> Bool {
            oid == state.oid && light == state.light && (state.full.map { $0 == full } ?? !loggedWhenRead)
        }

        /// ``sameTable(_:)`` with the same counts too, and nothing that makes the table be read again anyway.
        func matches(_ state: PostgresDataReader.DigestState) -> Bool {
            sameTable(state) && counts == state.counts && !state.volatile && !(state.userTyped ?? userTyped)
        }
    }

    /// The counts of an entry carried across a commit into a step with a change log: unknown, since the server may
    /// have folded the finished transaction's into its statistics. No read shows them (a read shows `i/u/d`).
    static let unknownCounts = "unknown"

    /// The oids of the tables whose columns a state read may leave unread: those of `entries` whose columns were
    /// as at the transaction's start when read (the read itself checks that the log does not name them now).
    static func reusable(_ entries: [String: Entry]) -> [String] {
        entries.values.compactMap { $0.loggedWhenRead ? nil : $0.oid }.sorted()
    }

    var stamp: Stamp
    /// By table name (`public.orders`).
    var entries: [String: Entry]
    /// Every table there was when the digests were read, by name: its oid. Tables without an entry were left out
    /// (their state had changed since the digest carried across a commit).
    var universe: [String: String]
    /// For digests read with no branch open: the database's ``PostgresDatabase/generation`` then, and the tables a
    /// commit at that generation may carry (unnamed by a trusted change log, neither created nor altered by the
    /// transaction, without a column of a user type). Nil otherwise.
    var carriable: (generation: Int, tables: Set<String>)?

    /// `universe` defaults to the tables of `entries`, for digests of every table.
    init(stamp: Stamp, entries: [String: Entry], universe: [String: String]? = nil) {
        self.stamp = stamp
        self.entries = entries
        self.universe = universe ?? entries.mapValues(\.oid)
    }

    /// Whether digests stamped `stamp` still describe the database in a step stamped `current`.
    static func isValid(_ stamp: Stamp, at current: Stamp) -> Bool {
        stamp.step == current.step && current.branches.starts(with: stamp.branches)
    }
}
