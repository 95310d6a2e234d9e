import Foundation

/// A database at one version after a fresh install, kept as the template that upgrade checks clone.
///
/// Cloning needs the template to itself be idle, so access is serialised with a lock.
final class InstalledVersion: @unchecked Sendable {
    let version: SemanticVersion
    /// The schema right after the forward scripts.
    let snapshot: SchemaSnapshot
    private let lock = NSLock()
    private let database: any ScratchDatabase

    init(version: SemanticVersion, database: any ScratchDatabase, snapshot: SchemaSnapshot) {
        self.version = version
        self.database = database
        self.snapshot = snapshot
    }

    /// A new database holding this version's schema and data; the caller drops it.
    func clone(label: String) throws -> any ScratchDatabase {
        lock.lock()
        defer { lock.unlock() }
        return try database.clone(label: label)
    }

    func drop() {
        lock.lock()
        defer { lock.unlock() }
        database.drop()
    }
}
