import ArgumentParser
import RehearseKit

/// The options that choose what to rehearse, shared by `verify` and `list`.
struct RepositoryOptions: ParsableArguments {
    @Argument(help: "The migration repository (a folder holding projects/) or one project folder.")
    var path: String = "."

    @Option(help: ArgumentHelp("Read PATH as this layout instead of detecting it: primary, flyway, golang-migrate, diesel, dbmate, sqitch, migrate-mongo.", valueName: "name"))
    var layout: String?

    @Option(name: .customLong("project"), help: "Only this project (repeatable).")
    var projects: [String] = []

    @Option(name: .customLong("database"), help: "Only this database: postgresql or mongodb (repeatable).")
    var databases: [DatabaseKind] = []

    @Option(help: ArgumentHelp("Rehearse a chain from this migration on; earlier migrations are applied forward only.", valueName: "id"))
    var from: String?

    @Option(help: ArgumentHelp("Rehearse a chain up to and including this migration.", valueName: "id"))
    var to: String?

    /// The request these options describe, with `options` for verify.
    func request(
        postgresURL: String? = nil, mongodbURL: String? = nil, required: Set<DatabaseKind> = [], options: RehearsalOptions = RehearsalOptions()
    ) -> RehearsalRequest {
        RehearsalRequest(
            path: path, layout: layout, projects: projects, databases: databases, postgresURL: postgresURL,
            mongodbURL: mongodbURL, required: required, from: from, to: to, options: options
        )
    }
}
