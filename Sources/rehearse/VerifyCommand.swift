import ArgumentParser

/// Placeholder until the adapters land.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify")
}
