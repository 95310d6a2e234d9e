import Foundation
import RehearseCore
import RehearsePostgres
import RehearseMongo

/// Missing servers fail closed (DESIGN.md, "Disposable databases").
extension Rehearsal {
    /// The skip reason of every database that the plan needs a server for, that has none, and that
    /// `skipMissing` names; checked before any server starts, so a run cannot rehearse half and then stop.
    ///
    /// A database needs a server when one of its suites applies any subject (a suite holding only the policy
    /// check needs none). A server named by URL is never missing here: it must answer when it is used.
    ///
    /// - Throws: ``EnvironmentError`` saying what to install, for a missing server `skipMissing` does not name.
    func missingServers(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [DatabaseKind: String] {
        var skipped: [DatabaseKind: String] = [:]
        let needed = Dictionary(grouping: plan.suites.filter { !$0.subjects.isEmpty }, by: \.suite.database)
        for (database, suites) in needed.sorted(by: { $0.key < $1.key }) where url(for: database) == nil {
            guard let (problem, remedy) = try Self.missingServer(database, environment: environment) else { continue }
            guard request.skipMissing.contains(database) else {
                throw EnvironmentError(
                    "\(suites.map(\.name).joined(separator: ", ")): \(problem); \(remedy); "
                        + "or pass --skip-missing \(database.rawValue) to skip \(suites.count == 1 ? "its" : "their") checks"
                )
            }
            skipped[database] = "\(problem) (--skip-missing \(database.rawValue)); \(remedy)"
        }
        return skipped
    }

    /// What is missing and how to get it, when no server for `database` can be found on this machine; nil when
    /// one can.
    ///
    /// A variable the user set on purpose (`REHEARSE_MONGOD`, `REHEARSE_NX27017`, `REHEARSE_PG_BIN`) that names
    /// no program is not "missing": it throws, or is left to fail when the server starts.
    static func missingServer(_ database: DatabaseKind, environment: [String: String]) throws -> (problem: String, remedy: String)? {
        switch database {
        case .mongodb:
            guard try MongoServerProgram.find(environment: environment) == nil else { return nil }
            return ("no MongoDB server found", MongoServerProgram.installRemedy)
        case .postgresql:
            guard (environment["REHEARSE_PG_BIN"] ?? "").isEmpty else { return nil }
            do {
                _ = try PostgresBinaries.locateServer(environment: environment)
                return nil
            } catch let error as EnvironmentError {
                return (error.message, "or pass --postgres-url")
            }
        }
    }
}
