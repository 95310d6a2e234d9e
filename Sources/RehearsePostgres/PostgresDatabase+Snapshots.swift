import RehearseCore

/// Catalog snapshots inside the fast path's transaction that read again only the relations that may have changed
/// since the step's last snapshot, or since the commit of the step before (``PostgresSnapshotCache``,
/// ``PostgresCatalogScope``, ``PostgresChangeLog``).
extension PostgresDatabase {
    /// ``snapshot()`` inside a step: the closure of the change log and then a scoped read, two round trips; a whole
    /// read when the step keeps no log, when the log was lost, or when the scope says so.
    ///
    /// - Throws: ``PostgresBatchFailure`` or ``PostgresError`` from the server.
    func snapshotInStep() throws -> SchemaSnapshot {
        guard let current = step else { throw TransactionObstacle("no step is open") }
        let connection = try freshSession(reading: true)
        let reader = PostgresCatalogReader(connection: connection)
        guard let log = current.changeLog, !catalogWritesSeen else {
            snapshotCache = nil
            relationsReadByLastSnapshot = nil
            return try reader.snapshot()
        }
        let topLevel = current.branches.isEmpty
        let batch = PostgresCatalogSession.Batch(connection)
        if let earlier = snapshotCache, earlier.step == stepSerial {
            let rows = try PostgresCatalogSession.pinnedBatch(
                [(PostgresCatalogScope.earlierSetting, earlier.loggedText)], reads: [PostgresCatalogScope.closureSQL], reusable: true, on: batch
            )[0]
            let row = rows.first ?? []
            let text = row.first ?? nil
            let owners = Set(((row.count > 1 ? row[1] : nil) ?? "").split(separator: " ").compactMap { UInt32($0) })
            if let text, let logged = log.entries(of: text),
               let scope = PostgresCatalogScope.relations(logged: Set(logged + earlier.logged), owners: owners, earlier: earlier) {
                let cache = earlier.replacing(scope, with: try reader.ownedObjects(scope: scope.sorted()), step: stepSerial, topLevel: topLevel, logText: text, logged: logged)
                snapshotCache = cache
                relationsReadByLastSnapshot = scope.count
                #if DEBUG
                // Every debug build, so every test that reaches the fast path, proves the scope against a whole read.
                let whole = try reader.snapshot()
                precondition(whole == cache.snapshot, "the scoped snapshot differs from the whole one:\n\(SnapshotDiff(from: whole, to: cache.snapshot).text)")
                #endif
                return cache.snapshot
            }
        }
        let text = try connection.execute("SELECT pg_catalog.current_setting('\(PostgresChangeLog.setting)', true)").rows.first?.first ?? nil
        let owned = try reader.ownedObjects()
        if let text, let logged = log.entries(of: text) {
            snapshotCache = PostgresSnapshotCache(step: stepSerial, topLevel: topLevel, logText: text, logged: logged, owned: owned)
        } else {
            snapshotCache = nil
        }
        relationsReadByLastSnapshot = nil
        return SchemaSnapshot(objects: owned.map(\.object))
    }

    /// Right after a step's `BEGIN`: the change log's triggers, inside a savepoint so that a refusal leaves the step
    /// without a log and nothing else. Only a superuser may create event triggers; the answer is asked once.
    func installChangeLog(on connection: PostgresConnection) -> PostgresChangeLog? {
        if changeLogAllowed == nil {
            changeLogAllowed = ((try? connection.execute(PostgresChangeLog.canInstallSQL).rows.first?.first) ?? nil) == "t"
        }
        guard changeLogAllowed == true else { return nil }
        let log = PostgresChangeLog()
        do {
            try connection.executeQueryString("SAVEPOINT rehearse_change_log; \(log.installSQL); RELEASE SAVEPOINT rehearse_change_log")
            return log
        } catch {
            _ = try? connection.execute("ROLLBACK TO SAVEPOINT rehearse_change_log; RELEASE SAVEPOINT rehearse_change_log")
            changeLogAllowed = false
            return nil
        }
    }

    /// Just before the step's `COMMIT`: drops the log's triggers, and keeps the step's last snapshot for the next
    /// step when it was read at the top level and the log has not moved since.
    ///
    /// - Throws: ``PostgresError`` from the server.
    func removeChangeLog(_ log: PostgresChangeLog, on connection: PostgresConnection) throws -> PostgresSnapshotCache? {
        var text = try connection.execute("SELECT pg_catalog.current_setting('\(PostgresChangeLog.setting)', true)").rows.first?.first ?? nil
        if let cache = snapshotCache, cache.step == stepSerial, !(cache.topLevel && cache.logText == text) {
            // The last snapshot was read in a branch, or DDL ran after it: bring it up to date, which reads again
            // only what may have changed, so that the next step need not read the whole catalog.
            _ = try snapshotInStep()
            text = try connection.execute("SELECT pg_catalog.current_setting('\(PostgresChangeLog.setting)', true)").rows.first?.first ?? nil
        }
        try connection.execute(PostgresChangeLog.removeSQL)
        guard var cache = snapshotCache, cache.step == stepSerial, cache.topLevel, let text, cache.logText == text,
              !catalogWritesSeen else { return nil }
        cache.step = stepSerial + 1
        cache.logged = []
        cache.logText = ""
        return cache
    }
}
