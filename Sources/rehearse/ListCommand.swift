import ArgumentParser
import Foundation
import RehearseKit

/// `rehearse list`: the plan — projects, databases, versions, paths and scripts — without starting any server.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show what `verify` would rehearse: projects, databases, versions, upgrade paths and scripts."
    )

    @OptionGroup var repository: RepositoryOptions

    func run() async throws {
        let rehearsal = try Rehearsal(RehearsalRequest(path: repository.path, projects: repository.projects, databases: repository.databases))
        print(PlanPrinter().text(for: rehearsal.suites.map { ($0.project, $0.database) }), terminator: "")
    }
}
