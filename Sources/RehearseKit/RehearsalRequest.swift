/// What to rehearse and where: the options of `rehearse verify`, for the CLI and for users' own tests.
public struct RehearsalRequest: Sendable {
    /// The repository (any layout), one project folder, or a folder holding one in a conventional sub-folder.
    public var path: String
    /// Overrides layout detection (`--layout`); nil detects.
    public var layout: String?
    /// Only these projects or chain repositories (suite names); empty means all.
    public var projects: [String]
    /// Only these databases; empty means every database a suite has.
    public var databases: [DatabaseKind]
    /// Use this existing PostgreSQL server instead of a disposable cluster.
    public var postgresURL: String?
    /// Use this existing MongoDB server instead of a disposable one.
    public var mongodbURL: String?
    /// Databases whose checks are skipped, with the reason, when no server for them can be had (`--skip-missing`).
    /// Any other database with no server ends the run with an ``EnvironmentError`` saying what to install.
    public var skipMissing: Set<DatabaseKind>
    /// Rehearse a chain from this migration id on (`--from`); earlier steps are applied forward only.
    public var from: String?
    /// Rehearse a chain up to and including this migration id (`--to`); later steps are left out.
    public var to: String?
    /// Rehearse only what differs from this git revision (`--changed-since`); see ``ChangeSelection``.
    public var changedSince: String?
    /// Rehearse only this part of the run (`--shard`); see ``Sharding``.
    public var shard: Sharding?
    public var options: RehearsalOptions

    public init(
        path: String, layout: String? = nil, projects: [String] = [], databases: [DatabaseKind] = [],
        postgresURL: String? = nil, mongodbURL: String? = nil, skipMissing: Set<DatabaseKind> = [],
        from: String? = nil, to: String? = nil, changedSince: String? = nil, shard: Sharding? = nil, options: RehearsalOptions = RehearsalOptions()
    ) {
        self.path = path
        self.layout = layout
        self.projects = projects
        self.databases = databases
        self.postgresURL = postgresURL
        self.mongodbURL = mongodbURL
        self.skipMissing = skipMissing
        self.from = from
        self.to = to
        self.changedSince = changedSince
        self.shard = shard
        self.options = options
    }
}
