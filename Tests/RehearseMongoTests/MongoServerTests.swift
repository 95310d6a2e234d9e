import Foundation
import RehearseCore
@testable import RehearseMongo
import Testing

@Suite(.enabled(if: MongoTestServer.shouldRun, MongoTestServer.skipReason))
struct MongoServerTests {
    @Test func theServerStopsAndItsDirectoryIsRemovedOnClose() throws {
        let server = try MongoServer.start()
        let directory = server.directory
        #expect(FileManager.default.fileExists(atPath: directory.path))
        #expect(server.isRunning)
        let client = try MongoClient(uri: server.uri)
        #expect(try client.command(database: "admin", #"{"ping": 1}"#)["ok"]?.numericValue == 1)

        server.close()
        #expect(!server.isRunning)
        #expect(!FileManager.default.fileExists(atPath: directory.path))
        server.close() // safe twice
        let after = try MongoClient(uri: server.uri, serverSelectionTimeoutMS: 300)
        #expect(throws: MongoError.self) { try after.runCommand(database: "admin", commandJSON: #"{"ping": 1}"#) }
        // libmongoc's counters stay in this process's memory: no shared memory file would outlive it.
        #expect(!FileManager.default.fileExists(atPath: "/dev/shm/mongoc-\(getpid())"))
    }

    @Test func noServerProgramIsAnEnvironmentErrorSayingHowToGetOne() {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-empty-\(UUID().uuidString)").path
        #expect {
            _ = try MongoEngine.disposable(environment: ["PATH": empty, "HOME": empty])
        } throws: { error in
            guard let error = error as? EnvironmentError else { return false }
            return error.message.contains("pip install nx-27017") && error.message.contains("mongod") && !error.message.contains("ci/")
        }
        #expect(throws: EnvironmentError.self) {
            _ = try MongoServerProgram.find(environment: ["PATH": empty, "REHEARSE_MONGOD": empty + "/mongod"])
        }
    }

    @Test func clientErrorsAreMappedToDomainAndCode() throws {
        try MongoTestServer.withEngine { engine in
            let client = try MongoClient(uri: engine.uri)
            // An insert that hits a duplicate key is ok: 1 with writeErrors; it still fails.
            _ = try client.runCommand(database: "rehearse_errors", commandJSON: #"{"insert": "c", "documents": [{"_id": 1}]}"#)
            #expect {
                _ = try client.runCommand(database: "rehearse_errors", commandJSON: #"{"insert": "c", "documents": [{"_id": 1}]}"#)
            } throws: { error in
                let error = error as! MongoError
                return error.domain == .write && error.code == 11000 && error.isServerVerdict
            }
            // ok: 0 from the server.
            #expect {
                _ = try client.runCommand(database: "rehearse_errors", commandJSON: #"{"aggregate": "c", "pipeline": [{"$bogus": 1}], "cursor": {}}"#)
            } throws: { error in
                let error = error as! MongoError
                return error.domain == .server && error.message.contains("$bogus")
            }
            // Extended JSON that libbson refuses.
            #expect {
                _ = try client.runCommand(database: "rehearse_errors", commandJSON: #"{"insert": "c", "documents": [{"_id": {"$oid": "zz"}}]}"#)
            } throws: { error in
                (error as! MongoError).domain == .json
            }
            _ = try client.runCommand(database: "rehearse_errors", commandJSON: #"{"dropDatabase": 1}"#)
        }
        // Nobody listens here; the password never shows.
        let unreachable = try MongoClient(uri: "mongodb://admin:s3cret-pw@127.0.0.1:1/?directConnection=true", serverSelectionTimeoutMS: 300)
        #expect(unreachable.target == "127.0.0.1:1")
        #expect {
            _ = try unreachable.runCommand(database: "admin", commandJSON: #"{"ping": 1}"#)
        } throws: { error in
            let error = error as! MongoError
            return error.domain == .serverSelection && !error.description.contains("s3cret")
        }
        #expect(throws: MongoError.self) { _ = try MongoClient(uri: "postgres://admin:s3cret-pw@host/db") }
    }

    @Test func theEngineNamesTheServerAndWhereChecksAreWeaker() throws {
        try MongoTestServer.withEngine { engine in
            #expect(engine.kind == .mongodb)
            #expect(engine.serverInfo.location == "disposable")
            #expect(!engine.serverInfo.version.isEmpty)
            switch engine.serverInfo.product {
            case "nx-27017":
                #expect(engine.serverInfo.limitations.contains("nx-27017 does not enforce $jsonSchema validators"))
                #expect(engine.serverInfo.version.contains("reports MongoDB"))
            case "mongod":
                #expect(engine.serverInfo.limitations.isEmpty)
            default:
                Issue.record("unexpected product \(engine.serverInfo.product)")
            }
        }
    }

    @Test func anExistingServerOnlyLosesTheDatabasesRehearseCreated() throws {
        try MongoTestServer.withEngine { disposable in
            let admin = try MongoClient(uri: disposable.uri)
            _ = try admin.runCommand(database: "customer_data", commandJSON: #"{"insert": "people", "documents": [{"_id": 1}]}"#)

            let existing = try MongoEngine.existing(url: disposable.uri)
            #expect(existing.serverInfo.location.hasPrefix("127.0.0.1:"))
            #expect(existing.serverInfo.product == disposable.serverInfo.product)
            let left = try existing.createMongoDatabase(label: "left_over")
            _ = try left.client.runCommand(database: left.name, commandJSON: #"{"insert": "t", "documents": [{"_id": 1}]}"#)
            let dropped = try existing.createMongoDatabase(label: "dropped")
            _ = try dropped.client.runCommand(database: dropped.name, commandJSON: #"{"insert": "t", "documents": [{"_id": 1}]}"#)
            dropped.drop()
            existing.shutdown()

            let names = try admin.command(database: "admin", #"{"listDatabases": 1, "nameOnly": true}"#)["databases"]?.elements?
                .compactMap { $0["name"]?.stringValue } ?? []
            #expect(names.contains("customer_data"))
            #expect(!names.contains(left.name))
            #expect(!names.contains(dropped.name))
            #expect(try admin.command(database: "admin", #"{"ping": 1}"#)["ok"]?.numericValue == 1)
        }
    }
}
