/// What the `safety` check measured while a migration's forward statements ran on a copy with rows: per
/// statement, the table locks its own backend took and the tables it rewrote (DESIGN.md, "Lint and safety").
public struct LockObservation: Sendable, Equatable, Codable {
    /// Rows in each pre-existing table (`schema.table`) the statements touched (``touched``), when they started.
    public var rowCounts: [String: Int]
    /// Touched pre-existing tables that were empty and got generated rows (`INSERT … DEFAULT VALUES`) so a rewrite
    /// shows.
    public var generatedRows: [String]
    public var statements: [StatementLocks]

    public init(rowCounts: [String: Int] = [:], generatedRows: [String] = [], statements: [StatementLocks] = []) {
        self.rowCounts = rowCounts
        self.generatedRows = generatedRows
        self.statements = statements
    }

    /// Every table a statement locked, rewrote or read through, or held a lock on from earlier in its transaction:
    /// the only tables the verdict looks at.
    public var touched: Set<String> {
        Set(statements.flatMap { Array($0.locks.keys) + Array($0.heldLocks.keys) + $0.rewritten + $0.scanned })
    }
}

/// The locks and rewrites of one statement on the tables that existed before the migration.
public struct StatementLocks: Sendable, Equatable, Codable {
    public var file: String
    public var line: Int
    /// The statement's first line, for messages.
    public var excerpt: String
    /// Modes that block writes to the table while held (SHARE and stronger).
    public static let writeBlocking: Set<String> = ["ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"]

    /// `schema.table` → the lock modes newly granted during the statement (`AccessExclusiveLock`, …).
    public var locks: [String: [String]]
    /// `schema.table` → the write-blocking modes that earlier statements of the same transaction (as forward runs
    /// it: the file's, or the file's own `BEGIN … COMMIT`) took and still hold while this statement runs.
    public var heldLocks: [String: [String]] = [:]
    /// Tables whose relfilenode changed during the statement.
    public var rewritten: [String]
    /// Tables the statement read through (an index build, a constraint's validation) without rewriting them.
    public var scanned: [String] = []
    /// A statement that cannot run in a transaction, so its locks cannot be read between statements: the mode it
    /// takes by design (`ShareUpdateExclusiveLock` for `CREATE INDEX CONCURRENTLY`), or nil when unknown.
    public var outsideTransaction: Bool
    public var assumedMode: String?

    public init(
        file: String, line: Int, excerpt: String, locks: [String: [String]] = [:], rewritten: [String] = [],
        outsideTransaction: Bool = false, assumedMode: String? = nil
    ) {
        self.file = file
        self.line = line
        self.excerpt = excerpt
        self.locks = locks
        self.rewritten = rewritten
        self.outsideTransaction = outsideTransaction
        self.assumedMode = assumedMode
    }

    /// `public.orders: AccessExclusiveLock, ShareLock; rewritten: public.orders`.
    public var summary: String {
        var parts = locks.keys.sorted().map { "\($0): \(locks[$0, default: []].sorted().joined(separator: ", "))" }
        parts += heldLocks.keys.sorted().map { "\($0): \(heldLocks[$0, default: []].sorted().joined(separator: ", ")) held from earlier in its transaction" }
        if outsideTransaction {
            parts.append("runs outside a transaction" + (assumedMode.map { ", takes \($0) by design" } ?? ""))
        }
        if !rewritten.isEmpty { parts.append("rewrites " + rewritten.sorted().joined(separator: ", ")) }
        if !scanned.isEmpty { parts.append("reads " + scanned.sorted().joined(separator: ", ")) }
        return parts.isEmpty ? "no lock on a pre-existing table" : parts.joined(separator: "; ")
    }
}

/// The engine cannot read a migration's locks (MongoDB); `safety` is skipped with this reason.
public struct LocksUnsupported: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
