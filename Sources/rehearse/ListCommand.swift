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

    @Flag(help: "Print the plan as JSON (formatVersion 1), e.g. to build a CI matrix.")
    var json = false

    func run() async throws {
        let request = try repository.request()
        let rehearsal = try Rehearsal(request)
        if json {
            let document = PlanDocument(
                rehearsal.plan, path: rehearsal.repository.displayPath, layout: rehearsal.repository.layout,
                changedSince: request.changedSince, shard: request.shard, rehearseVersion: RehearseVersion.current
            )
            print(document.text, terminator: "")
            return
        }
        print(PlanPrinter().text(for: rehearsal.plan, layout: rehearsal.repository.layout), terminator: "")
    }
}
