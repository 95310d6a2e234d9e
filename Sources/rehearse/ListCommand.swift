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
        let rehearsal = try Rehearsal(repository.request())
        print(PlanPrinter().text(for: rehearsal.plan, layout: rehearsal.repository.layout), terminator: "")
    }
}
