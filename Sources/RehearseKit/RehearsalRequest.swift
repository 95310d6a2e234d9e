/// What to rehearse and where: the options of `rehearse verify`, for the CLI and for users' own tests.
public struct RehearsalRequest: Sendable {
    /// The repository root (holding `projects/`) or one project folder, as the user wrote it.
    public var path: String
    /// Only these projects (folder names); empty means all.
    public var projects: [String]
    /// Only these databases; empty means every database a project declares.
    public var databases: [DatabaseKind]
    /// Use this existing PostgreSQL server instead of a disposable cluster.
    public var postgresURL: String?
    /// Use this existing MongoDB server instead of a disposable one.
    public var mongodbURL: String?
    /// Databases whose server must be available; otherwise a missing MongoDB server only skips its checks.
    public var required: Set<DatabaseKind>
    public var options: RehearsalOptions

    public init(
        path: String, projects: [String] = [], databases: [DatabaseKind] = [],
        postgresURL: String? = nil, mongodbURL: String? = nil, required: Set<DatabaseKind> = [],
        options: RehearsalOptions = RehearsalOptions()
    ) {
        self.path = path
        self.projects = projects
        self.databases = databases
        self.postgresURL = postgresURL
        self.mongodbURL = mongodbURL
        self.required = required
        self.options = options
    }
}
