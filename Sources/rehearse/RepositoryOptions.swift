import ArgumentParser
import RehearseKit

/// The options that choose what to rehearse, shared by `verify` and `list`.
struct RepositoryOptions: ParsableArguments {
    @Argument(help: "The migration repository (a folder holding projects/) or one project folder.")
    var path: String = "."

    @Option(name: .customLong("project"), help: "Only this project (repeatable).")
    var projects: [String] = []

    @Option(name: .customLong("database"), help: "Only this database: postgresql or mongodb (repeatable).")
    var databases: [DatabaseKind] = []
}
