import Foundation
import Testing
import RehearseCore
@testable import RehearsePostgres

@Suite struct PostgresClusterTests {
    @Test func startsAcceptsConnectionsAndLeavesNothingBehind() throws {
        let cluster = try PostgresCluster()
        let directory = cluster.directory
        let pid = cluster.postmasterPID
        #expect(cluster.isRunning)
        #expect(FileManager.default.fileExists(atPath: cluster.dataDirectory.appendingPathComponent("PG_VERSION").path))
        print("disposable cluster started in \(String(format: "%.2f", cluster.startupDuration)) s")

        let connection = try PostgresConnection(cluster.target())
        let settings = try connection.execute("SELECT current_setting('fsync'), current_setting('listen_addresses'), current_user")
        #expect(settings.rows == [["off", "", "rehearse"]])
        #expect(connection.serverVersionNumber >= 100_000)
        connection.close()
        connection.close()

        let stopping = Date()
        cluster.close()
        print("disposable cluster stopped and removed in \(String(format: "%.2f", Date().timeIntervalSince(stopping))) s")
        #expect(!PostgresCluster.isAlive(pid))
        #expect(!cluster.isRunning)
        #expect(!FileManager.default.fileExists(atPath: directory.path))
        cluster.close()
    }

    @Test func missingProgramsAreAnEnvironmentErrorSayingWhatToInstall() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-nobin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect {
            try PostgresBinaries.locateServer(environment: ["REHEARSE_PG_BIN": empty.path])
        } throws: { error in
            (error as? EnvironmentError)?.message.contains("REHEARSE_PG_BIN") == true
        }
        #expect {
            try PostgresCluster(binaries: PostgresBinaries(directory: empty))
        } throws: { error in
            (error as? EnvironmentError)?.message.contains("apt-get install postgresql") == true
        }
    }
}
