import ArgumentParser
import Foundation
import RehearseKit
import RehearseMongo

/// Maps every outcome onto DESIGN.md's exit statuses: 0 passed, 1 a check failed, 2 unusable input or environment.
///
/// ArgumentParser would exit 64 on a usage error; a bad option is unusable input, so it exits 2 here.
@main
enum RehearseMain {
    static func main() async {
        // SIGINT, SIGTERM, SIGHUP and a closed output pipe stop the servers, then end the process with 128 + the
        // signal. Only the executable installs handlers; the library just registers its clean-ups.
        CleanupRegistry.shared.installHandlers { signalNumber in exit(128 + signalNumber) }
        MongoSharedCounters.release()
        do {
            var command = try RehearseCommand.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as InputError {
            fail("error: \(error)")
        } catch let error as InputErrors {
            fail(error.errors.map { "error: \($0)" }.joined(separator: "\nrehearse: "))
        } catch let error as EnvironmentError {
            fail("error: \(error)")
        } catch {
            let code = RehearseCommand.exitCode(for: error)
            if code == .validationFailure {
                fail(RehearseCommand.fullMessage(for: error))
            }
            CleanupRegistry.shared.waitIfInterrupted()
            RehearseCommand.exit(withError: error)
        }
    }

    private static func fail(_ message: String) -> Never {
        // After an interrupt, the signal handler ends the process once the servers are stopped.
        CleanupRegistry.shared.waitIfInterrupted()
        FileHandle.standardError.write(Data("rehearse: \(ConnectionURL.masked(message))\n".utf8))
        exit(2)
    }
}
