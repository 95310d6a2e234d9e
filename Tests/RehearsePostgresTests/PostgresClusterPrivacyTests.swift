import Foundation
import Testing
import RehearseCore
@testable import RehearsePostgres

/// The disposable cluster is private (DESIGN.md, "Disposable databases"): mode 0700, a per-run password, and
/// as root an account that owns nothing else.
@Suite struct PostgresClusterPrivacyTests {
    @Test func directoryIsPrivateAndOwnedByTheServerAccount() throws {
        let cluster = try PostgresCluster()
        defer { cluster.close() }
        var info = stat()
        #expect(stat(cluster.directory.path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o700)
        let expectedOwner = cluster.account?.uid ?? geteuid()
        #expect(info.st_uid == expectedOwner)
        #expect(stat(cluster.directory.appendingPathComponent(".s.PGSQL.\(PostgresCluster.port)").path, &info) == 0)
        #expect(info.st_mode & 0o077 == 0, "the socket must not be open to others")
        // The password file given to initdb is gone.
        #expect(!FileManager.default.fileExists(atPath: cluster.directory.appendingPathComponent("superuser-password").path))
        let hba = try String(contentsOf: cluster.dataDirectory.appendingPathComponent("pg_hba.conf"), encoding: .utf8)
        #expect(!hba.contains("trust"))
        #expect(hba.contains("local all all scram-sha-256"))
    }

    @Test func aConnectionWithoutThePasswordIsRefused() throws {
        let cluster = try PostgresCluster()
        defer { cluster.close() }
        var parameters = cluster.target().parameters
        #expect(parameters["password"]?.count == 64)
        parameters["password"] = nil
        parameters["passfile"] = "/dev/null"
        #expect {
            try PostgresConnection(PostgresTarget(parameters: parameters))
        } throws: { error in
            "\(error)".contains("password")
        }
        parameters["password"] = "guessed"
        #expect(throws: PostgresError.self) { try PostgresConnection(PostgresTarget(parameters: parameters)) }
        let connection = try PostgresConnection(cluster.target())
        #expect(try connection.execute("SELECT 1").rows == [["1"]])
        #expect(!cluster.target().description.contains(parameters["password"] ?? "-"))
        #expect(!cluster.target().description.contains(cluster.password))
    }

    @Test(.enabled(if: geteuid() == 0, "only root can run a client as another OS user"))
    func anotherOSUserCannotReachTheSocket() throws {
        let cluster = try PostgresCluster()
        defer { cluster.close() }
        let psql = try #require(cluster.binaries.program("psql"))
        let setpriv = URL(fileURLWithPath: "/usr/bin/setpriv")
        // A uid with no account at all, so it owns nothing and is nobody's server account.
        let outcome = try ExternalCommand(
            executable: setpriv,
            arguments: ["--reuid=54321", "--regid=54321", "--clear-groups", "--", psql.path, "-h", cluster.socketDirectory, "-p", String(PostgresCluster.port), "-U", "rehearse", "-d", "postgres", "-c", "SELECT 1"],
            environment: ["PGPASSWORD": cluster.password, "HOME": "/"], droppedVariablePrefixes: ["PG"], timeout: 30
        ).run()
        #expect(!outcome.succeeded)
        #expect(outcome.output.contains("Permission denied"), "\(outcome.output)")
    }

    @Test(.enabled(if: geteuid() == 0, "the server account only differs from Rehearse's own when run as root"))
    func asRootTheServerRunsAsNobodyAndCannotWriteThePostgresAccountsFiles() throws {
        let cluster = try PostgresCluster()
        defer { cluster.close() }
        let account = try #require(cluster.account)
        #expect(account.name == "nobody")
        let status = try String(contentsOfFile: "/proc/\(cluster.postmasterPID)/status", encoding: .utf8)
        let uidLine = try #require(status.split(separator: "\n").first { $0.hasPrefix("Uid:") })
        #expect(uidLine.split(whereSeparator: \.isWhitespace).dropFirst().allSatisfy { uid_t($0) == account.uid })

        let probe = "/var/lib/postgresql/rehearse-escape-\(UUID().uuidString)"
        defer { unlink(probe) }
        let connection = try PostgresConnection(cluster.target())
        #expect(throws: PostgresError.self) {
            try connection.execute("COPY (SELECT 1) TO PROGRAM 'touch \(probe)'")
        }
        #expect(!FileManager.default.fileExists(atPath: probe))
    }

    @Test(.enabled(if: geteuid() == 0, "the account is only chosen when run as root"))
    func theServerAccountFailsClosed() throws {
        #expect(try ServerAccount.forServer(environment: [:])?.name == "nobody")
        #expect(throws: EnvironmentError.self) { try ServerAccount.forServer(environment: ["REHEARSE_SERVER_USER": "postgres"]) }
        #expect(throws: EnvironmentError.self) { try ServerAccount.forServer(environment: ["REHEARSE_SERVER_USER": "root"]) }
        #expect(throws: EnvironmentError.self) { try ServerAccount.forServer(environment: ["REHEARSE_SERVER_USER": "no-such-account-\(UInt16.random(in: 0...9999))"]) }
    }

    /// Suites choose their servers' account on several threads at once; each must get the account it asked for.
    @Test(.enabled(if: geteuid() == 0, "the account is only chosen when run as root"))
    func theServerAccountIsChosenAloneOnEveryThread() throws {
        let nobody = try #require(try ServerAccount.forServer(environment: [:]))
        let root = ServerAccount.ids(of: "root")
        let lock = NSLock()
        nonisolated(unsafe) var wrong = 0
        DispatchQueue.concurrentPerform(iterations: 4000) { index in
            let right = index.isMultiple(of: 2)
                ? (try? ServerAccount.forServer(environment: [:])) == nobody
                : ServerAccount.ids(of: "root")?.uid == root?.uid
            if !right { lock.withLock { wrong += 1 } }
        }
        #expect(wrong == 0)
    }
}
