import RehearseCore

/// Catalog snapshots inside the fast path's transaction that read again only the relations that may have changed
/// since the step's last snapshot, or since the commit of the step before (``PostgresSnapshotCache``,
/// ``PostgresCatalogScope``, ``PostgresChangeLog``).
extension PostgresDatabase {
    /// ``snapshot()`` inside a step: the closure of the change log and the scoped reads in one round trip (two when
    /// a dependency went away); a whole read when the step keeps no log, when the log was lost, or when a schema or
    /// an extension was touched.
    ///
    /// - Throws: ``PostgresBatchFailure`` or ``PostgresError`` from the server.
    func snapshotInStep() throws -> SchemaSnapshot {
        guard let current = step else { throw TransactionObstacle("no step is open") }
        let connection = try freshSession(reading: true)
        let reader = PostgresCatalogReader(connection: connection)
        let earlier = snapshotCache
        // Taken out, so that it is changed in place (see PostgresSnapshotCache.replace).
        snapshotCache = nil
        relationsReadByLastSnapshot = nil
        guard let log = current.changeLog, !catalogWritesSeen else { return try reader.snapshot() }
        if var cache = earlier, cache.step == stepSerial, !PostgresCatalogScope.needsWholeSnapshot(cache.logged) {
            let extra = PostgresCatalogScope.drawnFrom(cache.logged.map(\.objid), in: cache)
            let read = try reader.ownedObjects(
                .scopedByServer, leading: [PostgresCatalogScope.closureSQL],
                settings: [(PostgresCatalogScope.earlierSetting, cache.loggedText), (PostgresCatalogScope.extraSetting, PostgresCatalogScope.literal(extra.sorted()))]
            )
            let row = read.leading.first?.first ?? []
            let text = row.first ?? nil
            var scope = Set(((row.count > 1 ? row[1] : nil) ?? "").split(separator: " ").compactMap { UInt32($0) })
            if let text, let logged = log.entries(of: text), !PostgresCatalogScope.needsWholeSnapshot(logged) {
                var fresh = read.objects
                let missing = PostgresCatalogScope.drawnFrom(logged.map(\.objid) + Array(scope), in: cache, besides: scope)
                if !missing.isEmpty {
                    fresh += try reader.ownedObjects(.relations(missing.sorted())).objects
                    scope.formUnion(missing)
                }
                cache.replace(scope, with: fresh, step: stepSerial, logged: logged)
                snapshotCache = cache
                noteAtTop(cache, in: current)
                relationsReadByLastSnapshot = scope.count
                #if DEBUG
                // Every debug build, so every test that reaches the fast path, proves the scope against a whole read.
                let whole = try reader.snapshot()
                precondition(whole == cache.snapshot, "the scoped snapshot differs from the whole one:\n\(SnapshotDiff(from: whole, to: cache.snapshot).text)")
                #endif
                return cache.snapshot
            }
        }
        let read = try reader.ownedObjects(.whole, leading: [PostgresChangeLog.readSQL])
        if let text = read.leading.first?.first?.first ?? nil, let logged = log.entries(of: text) {
            let cache = PostgresSnapshotCache(step: stepSerial, logged: logged, owned: read.objects)
            snapshotCache = cache
            noteAtTop(cache, in: current)
        }
        return SchemaSnapshot(objects: read.objects.map(\.object))
    }

    /// `BEGIN`, and right after it the change log's triggers inside a savepoint, in one round trip; a refusal leaves
    /// the step without a log and nothing else. Only a superuser may create event triggers; that is asked once. With
    /// `userEventTriggers` (the database has event triggers of its own) there is no log.
    ///
    /// - Throws: ``PostgresError`` when `BEGIN` itself fails.
    func beginWithChangeLog(on connection: PostgresConnection, userEventTriggers: Bool) throws -> PostgresChangeLog? {
        if changeLogAllowed == nil {
            changeLogAllowed = ((try? connection.execute(PostgresChangeLog.canInstallSQL).rows.first?.first) ?? nil) == "t"
        }
        guard changeLogAllowed == true, !userEventTriggers else {
            try connection.execute("BEGIN")
            return nil
        }
        let log = PostgresChangeLog()
        do {
            try connection.executeQueryString(
                "BEGIN; SAVEPOINT rehearse_change_log; \(log.installSQL(withFunction: !changeLogFunctionCommitted)); RELEASE SAVEPOINT rehearse_change_log"
            )
            return log
        } catch {
            guard connection.transactionStatus == .inFailedTransaction else { throw error }
            try connection.execute("ROLLBACK TO SAVEPOINT rehearse_change_log; RELEASE SAVEPOINT rehearse_change_log")
            changeLogAllowed = false
            return nil
        }
    }

    /// Just before the step's `COMMIT`, with no branch open: brings the step's last snapshot up to date, which reads
    /// again only what changed since, so that it can serve the next step. Nothing runs after it but the log's
    /// removal, which no snapshot sees. Without a log (or a usable one) the step has no cached snapshot to carry.
    ///
    /// When the step's last snapshot with no branch open was taken at the database's generation now (everything
    /// since ran in branches and validators that were rolled back), it describes the database as it commits, and
    /// nothing is read.
    ///
    /// - Throws: ``PostgresBatchFailure`` or ``PostgresError`` from the server.
    func snapshotToCarry() throws -> PostgresSnapshotCache? {
        guard snapshotCache?.step == stepSerial else { return nil }
        var cache: PostgresSnapshotCache
        if let top = snapshotAtTop, top.generation == generation, top.cache.step == stepSerial, step?.branches.isEmpty == true {
            cache = top.cache
            #if DEBUG
            // Every debug build proves the snapshot taken before the branches against a whole read at the commit.
            let whole = try PostgresCatalogReader(connection: freshSession(reading: true)).snapshot()
            precondition(whole == cache.snapshot, "the snapshot before the branches differs from the commit's:\n\(SnapshotDiff(from: whole, to: cache.snapshot).text)")
            #endif
            carriedWithoutRead = true
        } else {
            _ = try snapshotInStep()
            guard let current = snapshotCache, current.step == stepSerial else { return nil }
            cache = current
            carriedWithoutRead = false
        }
        cache.step = stepSerial + 1
        cache.logged = []
        return cache
    }

    /// Keeps `cache` as the step's last snapshot with no branch open, when none is open.
    private func noteAtTop(_ cache: PostgresSnapshotCache, in step: PostgresStep) {
        if step.branches.isEmpty { snapshotAtTop = (generation, cache) }
    }
}
