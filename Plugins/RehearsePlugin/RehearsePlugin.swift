import PackagePlugin
import Foundation

/// `swift package rehearse verify …`: runs the `rehearse` tool with the arguments given.
@main
struct RehearsePlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let tool = try context.tool(named: "rehearse")
        let process = Process()
        process.executableURL = tool.url
        process.arguments = arguments
        process.currentDirectoryURL = context.package.directoryURL
        try process.run()
        process.waitUntilExit()
        if process.terminationReason == .exit, process.terminationStatus == 0 { return }
        Diagnostics.error("rehearse exited with status \(process.terminationStatus)")
        exit(process.terminationStatus)
    }
}
