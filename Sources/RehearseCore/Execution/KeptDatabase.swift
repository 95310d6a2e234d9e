import Foundation

/// A subject's forward result kept for the subjects that start from it.
///
/// With one dependent, the database itself is handed over (a chain walks one database: no copy per step); with
/// several, each gets a template copy and the database is dropped when the last one is done. Copying needs the
/// template idle, so access is serialised.
final class KeptDatabase: @unchecked Sendable {
    private let database: any ScratchDatabase
    private let lock = NSLock()
    private var remaining: Int
    private let dependents: Int
    private var handedOver = false

    init(_ database: any ScratchDatabase, dependents: Int) {
        precondition(dependents > 0, "keep a database only for subjects that start from it")
        self.database = database
        self.dependents = dependents
        self.remaining = dependents
    }

    /// Whether the only dependent takes the database itself.
    var handsOver: Bool { dependents == 1 }

    /// The database itself, for the only dependent, which then owns it.
    func take() -> any ScratchDatabase {
        lock.withLock {
            precondition(handsOver && !handedOver, "only the single dependent takes the database, once")
            handedOver = true
            return database
        }
    }

    /// A new database holding this result; the caller drops it.
    func clone(label: String) throws -> any ScratchDatabase {
        try lock.withLock { try database.clone(label: label) }
    }

    /// A dependent is done with it; the last one drops it (unless it was handed over).
    func release() {
        lock.withLock {
            remaining -= 1
            if remaining == 0, !handedOver { database.drop() }
        }
    }

    /// Drops it now, whoever still waits (a run that stops early).
    func discard() {
        lock.withLock {
            if !handedOver, remaining > 0 { database.drop() }
            remaining = 0
        }
    }
}
