import Foundation

/// A migration repository read by a ``MigrationSource``, in layout-neutral form.
public struct LoadedRepository: Sendable {
    /// The folder the source read (after the conventional sub-folder search).
    public let root: URL
    /// That folder as shown in messages.
    public let displayPath: String
    /// The `--layout` name of the source.
    public let layout: String
    /// One suite per project (or chain) and database, in report order.
    public var suites: [RehearsalSuite]
    /// The primary layout's projects, for what only that layout has (its `list` details).
    public let projects: [Project]

    public init(root: URL, displayPath: String, layout: String, suites: [RehearsalSuite], projects: [Project] = []) {
        self.root = root
        self.displayPath = displayPath
        self.layout = layout
        self.suites = suites
        self.projects = projects
    }
}
