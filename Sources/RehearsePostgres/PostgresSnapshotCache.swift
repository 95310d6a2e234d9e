import RehearseCore

/// The last catalog snapshot read inside the fast path's transaction, kept with what each object belongs to, so that
/// the next snapshot of the step reads again only the relations that may have changed (``PostgresCatalogScope``)
/// and takes the rest from here.
///
/// It belongs to one step (its serial), with the change log as it stood when it was read. Any snapshot of the same
/// step may serve as the earlier one, in or out of branches: the log is rolled back with them. Across a commit it
/// is carried after being brought up to date just before the commit (no branch is open then), with nothing but the
/// log's removal after it (``PostgresDatabase/snapshotToCarry()``); the next step's log starts empty from there.
struct PostgresSnapshotCache {
    /// The serial of the step it belongs to.
    var step: Int
    /// The entries of the change log when it was read.
    var logged: [PostgresChangeLog.Entry]
    /// Sorted as ``SchemaSnapshot`` sorts, with the owner of each (nil for objects of no relation).
    private(set) var objects: [SnapshotObject]
    private var ownerOf: [UInt32?]
    /// Per owner, the other oids its objects are drawn from; and per such oid, its owners.
    private var keysByOwner: [UInt32: Set<UInt32>]
    private var ownersByKey: [UInt32: Set<UInt32>]

    /// A cache of a whole snapshot.
    init(step: Int, logged: [PostgresChangeLog.Entry], owned: [PostgresCatalogReader.Owned]) {
        self.step = step
        self.logged = logged
        let sorted = owned.sorted { $0.object < $1.object }
        objects = sorted.map(\.object)
        ownerOf = sorted.map(\.owner)
        keysByOwner = [:]
        ownersByKey = [:]
        index(sorted)
    }

    /// Records the owners and keys of `items`.
    private mutating func index(_ items: [PostgresCatalogReader.Owned]) {
        for item in items {
            guard let owner = item.owner else { continue }
            keysByOwner[owner, default: []].formUnion(item.keys)
            for key in item.keys { ownersByKey[key, default: []].insert(owner) }
        }
    }

    /// The snapshot it holds.
    var snapshot: SchemaSnapshot { SchemaSnapshot(sorted: objects) }

    /// The owners of objects drawn from `oid` (besides `oid` itself, when it owns objects).
    func owners(drawnFrom oid: UInt32) -> Set<UInt32> {
        ownersByKey[oid] ?? []
    }

    /// `entries` as the setting ``PostgresCatalogScope/earlierSetting`` reads them: `1259:16384 2606:16390`.
    var loggedText: String {
        logged.map { "\($0.classid):\($0.objid)" }.joined(separator: " ")
    }

    /// Replaces the objects of no relation and those of `scope` with `fresh`, read just now. Mutating in place, so
    /// that the maps are not copied: a copy of them costs as much as the whole catalog.
    mutating func replace(_ scope: Set<UInt32>, with fresh: [PostgresCatalogReader.Owned], step: Int, logged: [PostgresChangeLog.Entry]) {
        self.step = step
        self.logged = logged
        for owner in scope {
            for key in keysByOwner.removeValue(forKey: owner) ?? [] {
                ownersByKey[key]?.remove(owner)
                if ownersByKey[key]?.isEmpty == true { ownersByKey[key] = nil }
            }
        }
        let incoming = fresh.sorted { $0.object < $1.object }
        index(incoming)
        // In place: the kept objects move (a swap retains nothing), only the incoming ones are copied in. A merge
        // into new arrays copied every object of the catalog for each snapshot.
        // A step's scope is a handful of relations: a list searched is cheaper than a hash per catalog object.
        let few = scope.count <= 16 ? Array(scope) : nil
        var kept = 0
        for position in objects.indices {
            guard let owner = ownerOf[position], !(few?.contains(owner) ?? scope.contains(owner)) else { continue }
            if kept != position {
                objects.swapAt(kept, position)
                ownerOf.swapAt(kept, position)
            }
            kept += 1
        }
        objects.removeLast(objects.count - kept)
        ownerOf.removeLast(ownerOf.count - kept)
        // Merge from the back into room made at the end: `write - old` is always the number of incoming objects
        // left, so the two meet when none is.
        objects.append(contentsOf: incoming.map(\.object))
        ownerOf.append(contentsOf: incoming.map(\.owner))
        var old = kept - 1
        var write = objects.count - 1
        for item in incoming.reversed() {
            while old >= 0, item.object < objects[old] {
                objects.swapAt(old, write)
                ownerOf.swapAt(old, write)
                old -= 1
                write -= 1
            }
            objects[write] = item.object
            ownerOf[write] = item.owner
            write -= 1
        }
    }
}
