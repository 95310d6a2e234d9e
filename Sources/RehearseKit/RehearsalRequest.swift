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
    /// Databases whose server must be available; otherwise a missing MongoDB server only skips its checks.
    public var required: Set<DatabaseKind>
    /// Rehearse a chain from this migration id on (`--from`); earlier steps are applied forward only.
    public var from: String?
    /// Rehearse a chain up to and including this migration id (`--to`); later steps are left out.
    public var to: String?
    public var options: RehearsalOptions

    public init(
        path: String, layout: String? = nil, projects: [String] = [], databases: [DatabaseKind] = [],
        postgresURL: String? = nil, mongodbURL: String? = nil, required: Set<DatabaseKind> = [],
        from: String? = nil, to: String? = nil, options: RehearsalOptions = RehearsalOptions()
    ) {
        self.path = path
        self.layout = layout
        self.projects = projects
        self.databases = databases
        self.postgresURL = postgresURL
        self.mongodbURL = mongodbURL
        self.required = required
        self.from = from
        self.to = to
        self.options = options
    }
}
