import ArgumentParser
import Foundation
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

    @Option(name: .customLong("changed-since"), help: ArgumentHelp("Rehearse only the migrations whose files differ from this git revision (and what depends on them).", valueName: "ref"))
    var changedSince: String?

    @Option(help: ArgumentHelp("Rehearse only part I of N of the run, for CI matrix jobs (1 ≤ I ≤ N; also REHEARSE_SHARD).", valueName: "i/n"))
    var shard: String?

    func validate() throws {
        _ = try sharding()
    }

    /// `--shard`, else `REHEARSE_SHARD`; nil when neither is set.
    ///
    /// - Throws: ``ValidationError`` (exit 2) naming the flag or the variable when it is not `I/N` with 1 ≤ I ≤ N.
    func sharding(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Sharding? {
        let (text, source) = shard.map { ($0, "--shard") } ?? (environment["REHEARSE_SHARD"] ?? "", "REHEARSE_SHARD")
        guard !text.isEmpty || source == "--shard" else { return nil }
        do {
            return try Sharding(parsing: text, source: source)
        } catch let error as InputError {
            throw ValidationError(error.description)
        }
    }

    /// The request these options describe, with `options` for verify.
    func request(
        postgresURL: String? = nil, mongodbURL: String? = nil, skipMissing: Set<DatabaseKind> = [], options: RehearsalOptions = RehearsalOptions()
    ) throws -> RehearsalRequest {
        RehearsalRequest(
            path: path, layout: layout, projects: projects, databases: databases, postgresURL: postgresURL,
            mongodbURL: mongodbURL, skipMissing: skipMissing, from: from, to: to, changedSince: changedSince,
            shard: try sharding(), options: options
        )
    }
}
