import RehearseCore

/// Data digests inside the fast path's transaction that read again only the tables that may have changed since
/// the last digest of the step, or since the commit of the step before (see ``PostgresDigestCache``).
extension PostgresDatabase {
    /// Where the open step stands: its serial and the branches open in it.
    var digestStamp: PostgresDigestCache.Stamp? {
        step.map { PostgresDigestCache.Stamp(step: stepSerial, branches: $0.branches.map(\.name)) }
    }

    /// The state of every table, leaving unread the columns of `known`'s tables that allow it when the step keeps a
    /// change log that can be trusted; and whether it could (else, or when the log turns out lost, everything is
    /// read, and what the log says of each table means nothing).
    ///
    /// - Throws: ``PostgresBatchFailure`` or ``PostgresError`` from the server.
    private func tableStates(_ reader: PostgresDataReader, known: [String: PostgresDigestCache.Entry]) throws -> (states: [String: PostgresDataReader.DigestState], logTrusted: Bool) {
        guard let log = step?.changeLog, !catalogWritesSeen else { return (try reader.digestState().states, false) }
        let read = try reader.digestState(reusing: PostgresDigestCache.reusable(known))
        if log.entries(of: read.log) != nil { return (read.states, true) }
        // The log was lost (a script's RESET ALL): it names nothing, so it cannot say which columns stayed.
        return (try reader.digestState().states, false)
    }

    /// The state of every table from the tables this transaction locked and those `known` has no entry for, read
    /// now; every other table of `known` is as its entry says (``PostgresDigestCache``); and how many states were read. Nil when the step's change
    /// log cannot be trusted for it (missing, lost, or naming a schema or an extension): then everything is read.
    ///
    /// - Throws: ``PostgresBatchFailure`` or ``PostgresError`` from the server.
    func lockedStates(_ reader: PostgresDataReader, known: PostgresDigestCache) throws -> (states: [String: PostgresDataReader.DigestState], read: Int)? {
        guard let log = step?.changeLog, !catalogWritesSeen else { return nil }
        let unknown = known.universe.compactMap { name, oid in known.entries[name] == nil ? oid : nil }.sorted()
        let read = try reader.lockedDigestState(reusing: PostgresDigestCache.reusable(known.entries), unknown: unknown)
        guard let logged = log.entries(of: read.log), !PostgresCatalogScope.needsWholeSnapshot(logged) else { return nil }
        let loggedTables = Set(logged.compactMap { $0.classid == PostgresCatalogScope.relationCatalog ? String($0.objid) : nil })
        var states = read.states
        for (name, entry) in known.entries where states[name] == nil && !read.locked.contains(entry.oid) {
            states[name] = PostgresDataReader.DigestState(
                oid: entry.oid, light: entry.light, full: entry.full, counts: entry.counts,
                volatile: entry.light.hasSuffix(" p") || entry.userTyped, userTyped: entry.userTyped,
                logged: loggedTables.contains(entry.oid)
            )
        }
        return (states, read.states.count)
    }

    /// ``dataDigest()`` inside a step: two round trips, the state of every table and then the digests of the tables
    /// whose state differs from the newest digests still valid here.
    ///
    /// - Throws: ``PostgresBatchFailure`` or ``PostgresError`` from the server.
    func digestInStep() throws -> DataFingerprint {
        guard let stamp = digestStamp else { throw TransactionObstacle("no step is open") }
        let reader = PostgresDataReader(connection: try freshSession(reading: true))
        let cache = digestCaches.last { PostgresDigestCache.isValid($0.stamp, at: stamp) }
        let known = cache?.entries ?? [:]
        let locked = try cache.flatMap { try lockedStates(reader, known: $0) }
        let (states, trusted) = try locked.map { ($0.states, true) } ?? tableStates(reader, known: known)
        statesReadByLastDigest = locked?.read ?? states.count
        let stale = states.filter { name, state in
            guard let entry = known[name] else { return true }
            return !entry.matches(state)
        }
        // A table whose columns were left unread has the columns of the entry it was a candidate for.
        let byOid = Dictionary(known.values.map { ($0.oid, $0) }, uniquingKeysWith: { first, _ in first })
        let read = try reader.digests(ofTables: stale.values.map(\.oid).sorted())
        tablesReadByLastDigest = read.tables.count
        var entries: [String: PostgresDigestCache.Entry] = [:]
        for table in read.tables {
            guard let digest = read.digests[table.name], let state = states[table.name] else {
                throw PostgresError(kind: .server, message: "the server listed table \(table.name) but returned no digest for it")
            }
            let data = TableData(keyColumns: table.keyColumns.isEmpty ? table.columns : table.keyColumns, rowCount: digest.count, digest: digest.digest)
            let entry: PostgresDigestCache.Entry
            if let full = state.full {
                entry = PostgresDigestCache.Entry(
                    oid: state.oid, light: state.light, full: full, counts: state.counts, data: data,
                    userTyped: state.userTyped ?? true, loggedWhenRead: state.logged || !trusted
                )
            } else if let previous = byOid[state.oid], !previous.loggedWhenRead {
                entry = PostgresDigestCache.Entry(
                    oid: state.oid, light: state.light, full: previous.full, counts: state.counts, data: data,
                    userTyped: previous.userTyped, loggedWhenRead: false
                )
            } else {
                throw PostgresError(kind: .server, message: "the server left the columns of \(table.name) unread, which was not asked")
            }
            entries[table.name] = entry
        }
        for name in states.keys where stale[name] == nil {
            guard let entry = known[name] else { continue }
            entries[name] = entry
        }
        guard entries.count == states.count else {
            let missing = states.keys.filter { entries[$0] == nil }.sorted().joined(separator: ", ")
            throw PostgresError(kind: .server, message: "the server listed tables it returned no digest for: \(missing)")
        }
        digestCaches.removeAll { !PostgresDigestCache.isValid($0.stamp, at: stamp) }
        var newest = PostgresDigestCache(stamp: stamp, entries: entries)
        if trusted, stamp.branches.isEmpty {
            let tables = states.compactMap { name, state in
                state.logged || state.volatile || (state.userTyped ?? entries[name]?.userTyped ?? true) ? nil : name
            }
            newest.carriable = (generation, Set(tables))
        }
        digestCaches.append(newest)
        if digestCaches.count > 4 { digestCaches.removeFirst() }
        let digest = DataFingerprint(tables: entries.mapValues(\.data))
        #if DEBUG
        // Every debug build, so every test that reaches the fast path, proves the reuse against a full read.
        let full = try reader.dataDigest()
        precondition(full == digest, "the data digest from reused states differs from a full one: \(full) against \(digest)")
        #endif
        return digest
    }

    /// Before the step commits: the digests of the step's top level that every table still matches. A table the
    /// transaction created or altered, or that the change log names, is left out, so the next step reads it again;
    /// the others' columns are those the next step begins with. The counts are not carried: between transactions
    /// the server may fold them into its statistics at any moment, so the next step counts from what it finds when
    /// it begins (``rebaseCarriedDigests()``).
    ///
    /// - Throws: ``PostgresBatchFailure`` or ``PostgresError`` from the server.
    func digestsToCarry() throws -> PostgresDigestCache? {
        guard let stamp = digestStamp,
              let top = digestCaches.last(where: { $0.stamp.branches.isEmpty && PostgresDigestCache.isValid($0.stamp, at: stamp) })
        else { return nil }
        let next = PostgresDigestCache.Stamp(step: stepSerial + 1, branches: [])
        if let carriable = top.carriable, carriable.generation == generation, stamp.branches.isEmpty {
            // Read at the generation there is now: everything since ran in branches and validators that were
            // rolled back, so every table holds what it held then.
            #if DEBUG
            let full = try PostgresDataReader(connection: try freshSession(reading: true)).dataDigest()
            precondition(full == DataFingerprint(tables: top.entries.mapValues(\.data)), "the data changed since the digest of the generation there is now")
            #endif
            var carried: [String: PostgresDigestCache.Entry] = [:]
            for name in carriable.tables {
                guard var entry = top.entries[name] else { continue }
                entry.loggedWhenRead = false
                carried[name] = entry
            }
            return PostgresDigestCache(stamp: next, entries: carried, universe: top.universe)
        }
        let reader = PostgresDataReader(connection: try freshSession(reading: true))
        let (states, trusted) = try lockedStates(reader, known: top).map { ($0.states, true) } ?? tableStates(reader, known: top.entries)
        var carried: [String: PostgresDigestCache.Entry] = [:]
        for (name, state) in states where !(trusted && state.logged) {
            guard var entry = top.entries[name], entry.matches(state) else { continue }
            // Unnamed by the log, the columns are those the next step begins with; without a log, nothing says so.
            entry.loggedWhenRead = !trusted
            carried[name] = entry
        }
        // Every table there is, so that the next step reads those left out here (``lockedStates(_:known:)``).
        return PostgresDigestCache(stamp: next, entries: carried, universe: states.mapValues(\.oid))
    }

    /// Right after a step's `BEGIN`: the digests carried from the commit before.
    ///
    /// With a change log the step trusts, nothing is read. Nothing ran on the database between the commit and
    /// `BEGIN` (anything that does drops the carried digests), so every table is as the commit found it, and a table
    /// this transaction does not lock stays so (``lockedStates(_:known:)``). Only the counts are unknown: the server
    /// may fold a finished transaction's counts into its statistics at any moment. So the entries start with
    /// ``PostgresDigestCache/unknownCounts``, which no read matches: a table the step locks is digested again the
    /// first time, and compared by its counts from then on.
    ///
    /// Without such a log every table's state is read, with the counts this transaction starts from (no statistics
    /// are flushed inside a transaction).
    ///
    /// - Throws: ``PostgresBatchFailure`` or ``PostgresError`` from the server.
    func rebaseCarriedDigests() throws {
        defer { carriedDigests = nil }
        statesReadAtBegin = 0
        guard let carried = carriedDigests, let stamp = digestStamp, carried.stamp == stamp else { return }
        if step?.changeLog != nil, !catalogWritesSeen {
            var entries = carried.entries
            for name in entries.keys { entries[name]?.counts = PostgresDigestCache.unknownCounts }
            digestCaches = [PostgresDigestCache(stamp: stamp, entries: entries, universe: carried.universe)]
            return
        }
        let states = try tableStates(PostgresDataReader(connection: try freshSession(reading: true)), known: carried.entries).states
        statesReadAtBegin = states.count
        var entries: [String: PostgresDigestCache.Entry] = [:]
        for (name, state) in states where !state.volatile {
            guard var entry = carried.entries[name], entry.sameTable(state), !(state.userTyped ?? entry.userTyped) else { continue }
            entry.counts = state.counts
            entries[name] = entry
        }
        digestCaches = [PostgresDigestCache(stamp: stamp, entries: entries, universe: states.mapValues(\.oid))]
    }
}
