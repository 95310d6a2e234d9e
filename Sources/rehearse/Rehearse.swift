import ArgumentParser
import RehearseKit

@main
struct Rehearse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rehearse",
        abstract: "Rehearse database migrations on disposable servers."
    )
}
