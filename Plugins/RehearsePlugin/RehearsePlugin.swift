import PackagePlugin
import Foundation

/// `swift package rehearse verify …`: runs the `rehearse` tool with the arguments given.
///
/// The tool's output reaches the terminal untouched (it inherits the plugin's standard output and error), and
/// its exit status is the plugin's: 1 for a failed check stays 1, 2 for unusable input stays 2. No diagnostic
/// of the plugin's own is added, because SwiftPM would print it into the middle of the tool's output.
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
        switch process.terminationReason {
        case .exit:
            if process.terminationStatus != 0 { exit(process.terminationStatus) }
        case .uncaughtSignal:
            // The shell convention for a death by signal.
            exit(128 + process.terminationStatus)
        @unknown default:
            exit(2)
        }
    }
}
