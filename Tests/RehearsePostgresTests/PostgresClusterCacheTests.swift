import Foundation
import Testing
import RehearseCore
@testable import RehearsePostgres

/// The cache of pristine clusters (``PostgresClusterCache``): made once, reused, never trusted blindly, and never
/// holding a password.
@Suite struct PostgresClusterCacheTests {
    /// A cache in a fresh folder of its own, removed afterwards; on the file system where servers' directories go
    /// (``ServerDirectoryBase``), unless `base` says where.
    private static func withCache(in base: String? = nil, _ body: (PostgresClusterCache) throws -> Void) throws {
        let folder = try base ?? ServerDirectoryBase.choose(serverAccount: ServerAccount.forServer())
        let root = URL(fileURLWithPath: folder).appendingPathComponent("rehearse-cache-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try body(PostgresClusterCache(directory: root.appendingPathComponent("postgres-clusters")))
    }

    private static func start(_ cache: PostgresClusterCache) throws -> PostgresCluster {
        try PostgresCluster(binaries: nil, cache: cache)
    }

    /// The entries, without the spare copies runs leave for the next run (see ``spares(_:)``).
    private static func entries(_ cache: PostgresClusterCache) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: cache.directory.path).filter { !$0.hasPrefix("spare-") }.sorted()
    }

    private static func spares(_ cache: PostgresClusterCache) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: cache.directory.path).filter { $0.hasPrefix("spare-") }.sorted()
    }

    private static func mode(_ path: String) -> (mode: mode_t, uid: uid_t) {
        var info = stat()
        #expect(lstat(path, &info) == 0)
        return (info.st_mode & 0o7777, info.st_uid)
    }

    @Test func theFirstRunCachesAPrivateEntryAndTheSecondCopiesIt() throws {
        try Self.withCache { cache in
            let first = try Self.start(cache)
            defer { first.close() }
            #expect(first.origin == .initdbNowCached)
            let names = try Self.entries(cache)
            #expect(names.count == 1 && names[0].hasPrefix("pg-"), "\(names)")
            let owner = first.account?.uid ?? geteuid()
            #expect(Self.mode(cache.directory.path) == (0o700, geteuid()))
            let entry = cache.directory.appendingPathComponent(names[0])
            #expect(Self.mode(entry.path) == (0o700, owner))
            #expect(Self.mode(entry.appendingPathComponent("manifest").path) == (0o600, owner))
            #expect(Self.mode(entry.appendingPathComponent("data").path) == (0o700, owner))

            let second = try Self.start(cache)
            defer { second.close() }
            #expect(second.origin == .cache)
            #expect(second.notes.isEmpty)
            #expect(try PostgresConnection(second.target()).execute("SELECT current_user").rows == [["rehearse"]])
            #expect(try Self.entries(cache) == names)
        }
    }

    /// Servers in memory, a cache on disk: the new entry is copied there while the server already runs, and no spare
    /// is made, since a rename cannot move one across.
    @Test(.enabled(if: ServerDirectoryBase.inMemory != nil && !ServerDirectoryBase.sameFileSystem(URL(fileURLWithPath: "/dev/shm"), URL(fileURLWithPath: "/tmp")), "needs /dev/shm and a /tmp on another file system"))
    func aCacheOnAnotherFileSystemIsFilledInTheBackground() throws {
        try Self.withCache(in: "/tmp") { cache in
            let first = try Self.start(cache)
            #expect(first.origin == .initdbNowCached)
            #expect(first.dataDirectory.path.hasPrefix("/dev/shm/"))
            first.waitUntilCached()
            let names = try Self.entries(cache)
            #expect(names.count == 1 && names[0].hasPrefix("pg-"), "\(names)")
            first.close()
            #expect(try Self.spares(cache).isEmpty)
            let second = try Self.start(cache)
            defer { second.close() }
            #expect(second.origin == .cache)
            #expect(second.notes.isEmpty)
            #expect(try PostgresConnection(second.target()).execute("SELECT 1").rows == [["1"]])
        }
    }

    @Test func theServerDirectoryGoesToATmpfsOrWhereTheUserSays() throws {
        #expect(ServerDirectoryBase.isTmpfs("/dev/shm", mounts: "tmpfs /dev/shm tmpfs rw,nosuid 0 0\n/dev/vda / ext4 rw 0 0"))
        #expect(!ServerDirectoryBase.isTmpfs("/dev/shm", mounts: "/dev/vda / ext4 rw 0 0"))
        #expect(!ServerDirectoryBase.isTmpfs("/dev/shm", mounts: "tmpfs /dev/shm tmpfs rw 0 0\n/dev/sdb /dev/shm ext4 rw 0 0"))
        #expect(try ServerDirectoryBase.choose(environment: ["REHEARSE_SERVER_DIR": "/var"], serverAccount: nil) == "/var")
        #expect(throws: EnvironmentError.self) { try ServerDirectoryBase.choose(environment: ["REHEARSE_SERVER_DIR": "/no/such/folder"], serverAccount: nil) }
    }

    @Test func aRunLeavesASpareCopyAndTheNextRunMovesItIntoPlace() throws {
        try Self.withCache { cache in
            let first = try Self.start(cache)
            first.close()
            let spares = try Self.spares(cache)
            #expect(spares.count == 1)
            let spare = cache.directory.appendingPathComponent(spares[0]).path
            #expect(Self.mode(spare).mode == 0o700)

            let second = try Self.start(cache)
            #expect(second.origin == .cache)
            #expect(second.notes.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: spare))
            #expect(try PostgresConnection(second.target()).execute("SELECT current_user").rows == [["rehearse"]])
            second.close()

            // A spare that no longer matches the manifest is dropped, and the entry is copied instead.
            let next = try #require(try Self.spares(cache).first)
            let conf = cache.directory.appendingPathComponent(next).appendingPathComponent("postgresql.conf")
            try Data("port = 1\n".utf8).write(to: conf, options: .atomic)
            let third = try Self.start(cache)
            defer { third.close() }
            #expect(third.origin == .cache)
            #expect(try PostgresConnection(third.target()).execute("SELECT 1").rows == [["1"]])
            #expect(!FileManager.default.fileExists(atPath: cache.directory.appendingPathComponent(next).path))
        }
    }

    @Test func noRunsPasswordIsCachedOrAcceptedByAnotherRun() throws {
        try Self.withCache { cache in
            let first = try Self.start(cache)
            defer { first.close() }
            let second = try Self.start(cache)
            defer { second.close() }
            #expect(second.origin == .cache)
            #expect(first.password != second.password)
            // The first run's password does not open the second run's server.
            var parameters = second.target().parameters
            parameters["password"] = first.password
            parameters["passfile"] = "/dev/null"
            #expect(throws: PostgresError.self) { try PostgresConnection(PostgresTarget(parameters: parameters)) }
            #expect(try PostgresConnection(second.target()).execute("SELECT 1").rows == [["1"]])
            // A run's own catalog holds its verifier; the cached entry holds none at all.
            let verifier = Data("SCRAM-SHA-256$".utf8)
            #expect(Self.filesContaining(verifier, under: second.dataDirectory).contains { $0.hasPrefix("global/") })
            let entry = cache.directory.appendingPathComponent(try Self.entries(cache)[0])
            #expect(Self.filesContaining(verifier, under: entry) == [])
            #expect(Self.filesContaining(Data(second.password.utf8), under: entry) == [])
            #expect(!(try String(contentsOf: entry.appendingPathComponent("data/pg_hba.conf"), encoding: .utf8)).contains("trust"))
        }
    }

    @Test func anEntryWithTheWrongModeIsRejectedAndRebuilt() throws {
        try Self.withCache { cache in
            try Self.start(cache).close()
            let entry = cache.directory.appendingPathComponent(try Self.entries(cache)[0])
            chmod(entry.path, 0o755)
            let cluster = try Self.start(cache)
            defer { cluster.close() }
            #expect(cluster.origin == .initdbNowCached)
            #expect(cluster.notes.count == 1 && cluster.notes[0].contains("has mode 755, not 700"), "\(cluster.notes)")
            #expect(Self.mode(entry.path).mode == 0o700)
            #expect(try Self.entries(cache).count == 1)
            let again = try Self.start(cache)
            defer { again.close() }
            #expect(again.origin == .cache)
        }
    }

    @Test(.enabled(if: geteuid() == 0, "only root can give a file to another owner"))
    func anEntryWithTheWrongOwnerIsRejected() throws {
        try Self.withCache { cache in
            try Self.start(cache).close()
            let entry = cache.directory.appendingPathComponent(try Self.entries(cache)[0])
            chown(entry.appendingPathComponent("data/base").path, 54321, 54321)
            let cluster = try Self.start(cache)
            defer { cluster.close() }
            #expect(cluster.origin == .initdbNowCached)
            #expect(cluster.notes.first?.contains("base is not a plain file or directory of the server account") == true, "\(cluster.notes)")
        }
    }

    @Test func anEntryWithChangedContentsIsRejected() throws {
        try Self.withCache { cache in
            try Self.start(cache).close()
            let entry = cache.directory.appendingPathComponent(try Self.entries(cache)[0])
            let hba = entry.appendingPathComponent("data/pg_hba.conf")
            // Same size, other contents: only the checksum can tell.
            let original = try String(contentsOf: hba, encoding: .utf8)
            try Data(original.replacingOccurrences(of: "scram-sha-256", with: "trust        ").utf8).write(to: hba)
            let cluster = try Self.start(cache)
            defer { cluster.close() }
            #expect(cluster.origin == .initdbNowCached)
            #expect(cluster.notes.first?.contains("pg_hba.conf changed") == true, "\(cluster.notes)")
            #expect(try String(contentsOf: hba, encoding: .utf8) == original)

            // A symbolic link, which would point a run's files elsewhere.
            try FileManager.default.createSymbolicLink(atPath: entry.appendingPathComponent("data/pg_tblspc/16384").path, withDestinationPath: "/tmp")
            let linked = try Self.start(cache)
            defer { linked.close() }
            #expect(linked.notes.first?.contains("pg_tblspc/16384") == true, "\(linked.notes)")
        }
    }

    @Test func twoEnginesBuildingAtOnceBothStartAndLeaveOneEntry() async throws {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("rehearse-cache-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let cache = PostgresClusterCache(directory: root.appendingPathComponent("postgres-clusters"))
        let origins = try await withThrowingTaskGroup(of: PostgresCluster.Origin.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    try await withCheckedThrowingContinuation { continuation in
                        DispatchQueue.global().async {
                            continuation.resume(with: Result {
                                let cluster = try PostgresCluster(binaries: nil, cache: cache)
                                defer { cluster.close() }
                                _ = try PostgresConnection(cluster.target()).execute("SELECT 1")
                                return cluster.origin
                            })
                        }
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(origins.count == 2)
        #expect(!origins.contains(.initdb))
        #expect(try Self.entries(cache).count == 1, "no .building or .stale folder is left")
        let third = try Self.start(cache)
        defer { third.close() }
        #expect(third.origin == .cache)
    }

    @Test func theCacheIsFoundAndSwitchedOffThroughTheEnvironment() {
        #expect(PostgresClusterCache.standard(environment: ["HOME": "/home/u"])?.directory.path == "/home/u/.cache/rehearse/postgres-clusters")
        #expect(PostgresClusterCache.standard(environment: ["HOME": "/home/u", "REHEARSE_CACHE_DIR": "/c"])?.directory.path == "/c/postgres-clusters")
        #expect(PostgresClusterCache.standard(environment: ["HOME": "/home/u", "REHEARSE_NO_CLUSTER_CACHE": "1"]) == nil)
        #expect(PostgresClusterCache.standard(environment: ["HOME": "/home/u", "REHEARSE_NO_CLUSTER_CACHE": "0"]) != nil)
        #expect(PostgresClusterCache.standard(environment: [:]) == nil)
    }

    @Test func withoutACacheEveryClusterIsMadeByInitdb() throws {
        let cluster = try PostgresCluster(binaries: nil, cache: nil)
        defer { cluster.close() }
        #expect(cluster.origin == .initdb)
        #expect(try PostgresConnection(cluster.target()).execute("SELECT 1").rows == [["1"]])
    }

    @Test func aManifestReadsBackAndNamesTheFirstDifference() throws {
        let manifest = PristineManifest(key: "k; a b", entries: [
            .init(path: ".", type: "d", mode: 0o700, size: 0, checksum: 0),
            .init(path: "pg_hba.conf", type: "f", mode: 0o600, size: 12, checksum: 0xabc),
            .init(path: "base/1/a b", type: "f", mode: 0o600, size: 8192, checksum: 0),
        ])
        #expect(PristineManifest(manifest.text) == manifest)
        #expect(PristineManifest("not a manifest") == nil)
        var changed = manifest
        changed.entries[1].checksum = 1
        #expect(manifest.firstDifference(from: changed) == "pg_hba.conf changed")
        changed = manifest
        changed.entries[2].mode = 0o644
        #expect(manifest.firstDifference(from: changed) == "base/1/a b is open to other users")
        changed = manifest
        changed.entries.append(.init(path: "extra", type: "f", mode: 0o600, size: 1, checksum: 0))
        #expect(manifest.firstDifference(from: changed) == "extra was added")
        changed.entries.removeFirst()
        #expect(manifest.firstDifference(from: changed) == ". is missing")
        #expect(manifest.firstDifference(from: manifest) == nil)
    }

    /// The files under `directory` (relative paths) that hold `needle`.
    private static func filesContaining(_ needle: Data, under directory: URL) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory.path)
        var found: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            let path = directory.appendingPathComponent(relative).path
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
                  let data = FileManager.default.contents(atPath: path), data.range(of: needle) != nil else { continue }
            found.append(relative)
        }
        return found
    }
}
