import Testing
@testable import RehearseCore

/// A finished subject's schema and data stay on the board only until the last subject reading them is done.
@Suite struct SubjectBoardTests {
    private let first = MigrationSubject.migration("001")
    private let second = MigrationSubject.migration("002")
    private let snapshot = SchemaSnapshot(objects: [SnapshotObject(kind: "table", name: "public.t", definition: "id integer")])

    private func isReady(_ board: SubjectBoard, _ subject: MigrationSubject) -> Bool {
        if case .ready? = board.result(of: subject) { return true }
        return false
    }

    @Test func aResultIsLetGoAfterItsLastReader() {
        let board = SubjectBoard()
        // The second subject starts from the first and compares itself with it.
        board.expectReaders([first, first])
        board.finish(first, .ready(after: snapshot, afterData: DataFingerprint(), database: nil))
        guard case let .available(read) = board.snapshot(of: first) else {
            Issue.record("the result must be there while a reader is running")
            return
        }
        #expect(read == snapshot)
        board.doneReading([first])
        #expect(isReady(board, first))
        board.doneReading([first])
        #expect(!isReady(board, first))
        #expect(board.isFinished(first))
        guard case let .unavailable(reason) = board.snapshot(of: first) else {
            Issue.record("a released result must not read as a schema")
            return
        }
        #expect(reason == "the result of migration 001 was let go after its last reader")
    }

    @Test func aResultNobodyReadsIsNotKept() {
        let board = SubjectBoard()
        board.expectReaders([first])
        board.finish(second, .ready(after: snapshot, afterData: DataFingerprint(), database: nil))
        #expect(!isReady(board, second) && board.isFinished(second))
        // Reasons are kept: they are small and later subjects skip with them.
        board.finish(first, .unavailable(reason: "failed"))
        board.doneReading([first])
        guard case let .unavailable(reason) = board.snapshot(of: first) else {
            Issue.record("a failed subject has no schema")
            return
        }
        #expect(reason == "failed")
    }

    @Test func withoutExpectedReadersEverythingIsKept() {
        let board = SubjectBoard()
        board.finish(first, .ready(after: snapshot, afterData: DataFingerprint(), database: nil))
        board.doneReading([first])
        #expect(isReady(board, first))
    }
}
