/// The open transaction of the fast path on one ``PostgresDatabase``: where the sequences stood when it began,
/// and the savepoints open inside it, innermost last.
struct PostgresStep {
    var sequencesAtStart: PostgresSequenceState
    /// The log of the catalog objects the step's DDL touched, when the step keeps one.
    var changeLog: PostgresChangeLog?
    /// Open savepoint branches: name, the sequences and the database's generation when it was opened.
    var branches: [(name: String, sequences: PostgresSequenceState, generation: Int)] = []
    /// Set when returning to a savepoint failed: the step must not commit.
    var broken = false
    private var counter = 0

    init(sequencesAtStart: PostgresSequenceState) {
        self.sequencesAtStart = sequencesAtStart
    }

    /// A savepoint name not used before in this step: `rehearse_file_3`.
    mutating func savepointName(_ purpose: String) -> String {
        counter += 1
        return "rehearse_\(purpose)_\(counter)"
    }
}
