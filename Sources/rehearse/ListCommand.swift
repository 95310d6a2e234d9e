import ArgumentParser
import Foundation
import RehearseKit

/// `rehearse list`: the plan — projects, databases, versions, paths and scripts — without starting any server.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show what `verify` would rehearse: projects, databases, versions, upgrade paths and scripts."
    )

    @Argument(help: "The migration repository (a folder holding projects/) or one project folder.")
    var path: String = "."

    @Option(name: .customLong("project"), help: "Only this project (repeatable).")
    var projects: [String] = []

    @Option(name: .customLong("database"), help: "Only this database: postgresql or mongodb (repeatable).")
    var databases: [DatabaseKind] = []

    func run() async throws {
        let rehearsal = try Rehearsal(RehearsalRequest(path: path, projects: projects, databases: databases))
        print(PlanPrinter().text(for: rehearsal.suites.map { ($0.project, $0.database) }), terminator: "")
    }
}
