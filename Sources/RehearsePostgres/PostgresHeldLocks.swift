/// The relation locks this session holds: what the fast path's narrowed reads start from. A change to a table or a
/// sequence locks it until the transaction ends (see ``PostgresDigestCache``, ``PostgresSequenceState``), and the
/// `safety` measurement reads the same locks between statements.
enum PostgresHeldLocks {
    /// The condition on `pg_locks` row `l` that keeps this session's granted locks on relations.
    static let condition = "l.pid = pg_catalog.pg_backend_pid() AND l.granted AND l.locktype = 'relation' AND l.relation IS NOT NULL"

    /// The oids of the relations this session holds a lock on, as an `oid[]` expression.
    static let relationArray = "ARRAY(SELECT l.relation FROM pg_catalog.pg_locks l WHERE \(condition))"

    /// Those oids as rows of text.
    static let relationsSQL = "SELECT pg_catalog.unnest(\(relationArray))::pg_catalog.text"

    /// The setting, local to one read, that ``captureSQL`` fills with ``relationArray``.
    private static let capturedSetting = "rehearse.held_relations"

    /// Takes ``relationArray`` once, into ``capturedSetting``, for the reads after it in the same batch
    /// (``captured``, ``capturedRelationsSQL``): `pg_locks` copies every lock of the server each time it is read,
    /// and a step holds hundreds. The reads after it take locks on catalogs only, which no caller looks at.
    private static let captureSQL = "SELECT pg_catalog.set_config('\(capturedSetting)', \(relationArray)::pg_catalog.text, true)"

    /// The oids the held relations were taken as for a batch of ``pinnedBatch(_:reads:on:)``, as an `oid[]`
    /// expression for its reads.
    static let captured = "pg_catalog.current_setting('\(capturedSetting)')::pg_catalog.oid[]"

    /// Those oids as rows of text.
    private static let capturedRelationsSQL = "SELECT pg_catalog.unnest(\(captured))::pg_catalog.text"

    /// `reads`, which may use ``captured``, as one of Rehearse's own prepared batches
    /// (``PostgresCatalogSession/pinnedBatch(_:reads:reusable:on:)``), after one look at the held relations: the
    /// reads' rows, and the oids of the relations held.
    ///
    /// - Throws: ``PostgresBatchFailure`` naming the statement that failed.
    static func pinnedBatch(
        _ settings: [(name: String, value: String)], reads: [String], on session: PostgresCatalogSession.Batch
    ) throws -> (rows: [[[String?]]], held: Set<String>) {
        let results = try PostgresCatalogSession.pinnedBatch(settings, reads: [captureSQL] + reads + [capturedRelationsSQL], reusable: true, on: session)
        return (Array(results.dropFirst().dropLast()), Set((results.last ?? []).compactMap { $0.first ?? nil }))
    }
}
