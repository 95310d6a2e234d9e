/// How a rehearsal compares and how much it runs at once.
public struct RehearsalOptions: Sendable {
    /// Report a different column order as a failure rather than a note.
    public var strictColumnOrder: Bool
    /// How many installs or upgrades run at the same time, each on its own databases.
    public var jobs: Int

    public init(strictColumnOrder: Bool = false, jobs: Int = 2) {
        self.strictColumnOrder = strictColumnOrder
        self.jobs = max(1, jobs)
    }
}
