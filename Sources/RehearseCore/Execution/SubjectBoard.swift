import Foundation

/// What every finished subject of a suite left for the subjects after it: its forward result (kept or handed
/// over), its snapshots, or why nothing can start from it. Shared by the suite's concurrent subjects.
final class SubjectBoard: @unchecked Sendable {
    /// A finished subject, as later subjects see it.
    enum Result: Sendable {
        /// Forward passed; `database` is kept for the subjects that start from it (nil when none do).
        case ready(after: SchemaSnapshot, afterData: DataFingerprint, database: KeptDatabase?)
        /// Nothing can start from it: `reason` is the skip reason of its dependents.
        case unavailable(reason: String)
        /// Nothing can start from it, and that is a failure of each dependent's forward (fixtures that did not load).
        case broken(CheckFailure)
    }

    private let lock = NSLock()
    private var results: [MigrationSubject: Result] = [:]
    private var empty: SchemaSnapshot?
    /// How many subjects still to finish read each subject's result; nil when nobody said (nothing is released).
    private var readers: [MigrationSubject: Int]?
    /// Kept databases whose result was released, still dropped by ``discardAll()`` if a run stops early.
    private var released: [KeptDatabase] = []

    /// Says which results the subjects to come will read, each subject once per reader: a result is let go as
    /// soon as its last reader is done, so a long history does not hold the schema and data of every step.
    func expectReaders(_ sources: [MigrationSubject]) {
        lock.withLock { readers = sources.reduce(into: [:]) { $0[$1, default: 0] += 1 } }
    }

    func finish(_ subject: MigrationSubject, _ result: Result) {
        lock.withLock {
            results[subject] = result
            if readers.map({ ($0[subject] ?? 0) == 0 }) == true { releaseLocked(subject) }
        }
    }

    /// A subject that read the results of `sources` has finished.
    func doneReading(_ sources: [MigrationSubject]) {
        lock.withLock {
            for source in sources {
                guard let count = readers?[source] else { continue }
                readers?[source] = count - 1
                if count == 1 { releaseLocked(source) }
            }
        }
    }

    /// Replaces a ready result, which nobody will read again, by a reason that says so should anything try.
    private func releaseLocked(_ subject: MigrationSubject) {
        guard case let .ready(_, _, database)? = results[subject] else { return }
        if let database { released.append(database) }
        results[subject] = .unavailable(reason: "the result of \(subject) was let go after its last reader")
    }

    func result(of subject: MigrationSubject) -> Result? {
        lock.withLock { results[subject] }
    }

    func isFinished(_ subject: MigrationSubject) -> Bool {
        lock.withLock { results[subject] != nil }
    }

    /// The forward result's schema, for `equivalence`.
    func snapshot(of subject: MigrationSubject) -> SubjectSnapshot {
        switch result(of: subject) {
        case let .ready(after, _, _)?: .available(after)
        case let .unavailable(reason)?: .unavailable(reason: reason)
        case .broken?: .unavailable(reason: "\(subject) could not be completed")
        case nil: .unavailable(reason: "\(subject) was not rehearsed")
        }
    }

    /// The schema of an empty database, read once per suite.
    func emptySnapshot(reading database: any ScratchDatabase) throws -> SchemaSnapshot {
        if let empty = lock.withLock({ empty }) { return empty }
        let snapshot = try database.snapshot()
        lock.withLock { empty = snapshot }
        return snapshot
    }

    /// Drops every database still kept (after the last subject, or when the run stops early).
    func discardAll() {
        let (kept, released) = lock.withLock { (results.values, self.released) }
        for case let .ready(_, _, database?) in kept { database.discard() }
        for database in released { database.discard() }
    }
}
