import Foundation
import Testing
@testable import RehearseCore

/// Inputs that used to crash, rehearse a folder twice, or print a file from outside the repository.
@Suite struct RepositoryInputTests {
    static let config = "metadata: {name: shop}\nspec:\n  databases:\n    primary: {type: postgresql}\n"

    @Test(arguments: [("v01.0.0", "v1.0.0"), ("v1.00.0", "v1.0.0"), ("v1.0.0", "v1.0.00")])
    func twoFoldersNamingOneVersionAreAnErrorNamingBoth(first: String, second: String) throws {
        let repo = try TemporaryRepository([
            "projects/shop/project-config.yaml": Self.config,
            "projects/shop/versions/\(first)/new-install/postgresql/schema/V1.0.0.001__A.sql": "create table a (id int);",
            "projects/shop/versions/\(second)/new-install/postgresql/schema/V1.0.0.001__A.sql": "create table a (id int);",
        ])
        defer { repo.remove() }
        let error = #expect(throws: InputError.self) { try RepositoryLoader().load(path: repo.path) }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("versions/\(first)"), "\(text)")
        #expect(text.contains("versions/\(second)"), "\(text)")
        #expect(text.contains("same version v1.0.0"), "\(text)")
    }

    @Test func aScriptLinkedToAFileOutsideTheRepositoryIsRefusedWithoutItsContent() throws {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-secret-\(UUID().uuidString.prefix(8)).txt")
        try "TOP-SECRET-TOKEN not SQL at all (".write(to: secret, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: secret) }
        let repo = try TemporaryRepository([
            "projects/shop/project-config.yaml": Self.config,
            "projects/shop/versions/v1.0.0/new-install/postgresql/validate/placeholder.txt": "",
        ])
        defer { repo.remove() }
        let folder = repo.root.appendingPathComponent("projects/shop/versions/v1.0.0/new-install/postgresql/schema")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.removeItem(at: repo.root.appendingPathComponent("projects/shop/versions/v1.0.0/new-install/postgresql/validate"))
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("V1.0.0.001__Leak.sql").path, withDestinationPath: secret.path)
        let error = #expect(throws: InputError.self) { try RepositoryLoader().load(path: repo.path) }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("V1.0.0.001__Leak.sql"), "\(text)")
        #expect(text.contains("outside the repository"), "\(text)")
        #expect(!text.contains("TOP-SECRET"))
    }

    @Test func aLinkInsideTheRepositoryIsFine() throws {
        let repo = try TemporaryRepository([
            "projects/shop/project-config.yaml": Self.config,
            "shared/a.sql": "create table a (id int);",
        ])
        defer { repo.remove() }
        let folder = repo.root.appendingPathComponent("projects/shop/versions/v1.0.0/new-install/postgresql/schema")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("V1.0.0.001__A.sql").path, withDestinationPath: "../../../../../../../shared/a.sql")
        let loaded = try RepositoryLoader().load(path: repo.path)
        #expect(loaded.projects.first?.versions.first?.installs[.postgresql]?.forward.count == 1)
    }

    @Test func requireInsideRejectsDotDotEscapes() throws {
        let repo = try TemporaryRepository(["a/b.sql": ""])
        defer { repo.remove() }
        let root = RepositoryFolder(url: repo.root.appendingPathComponent("a"), display: "a")
        #expect(throws: InputError.self) { try root.child("..").child("a").child("..").child("outside.sql").requireInsideRepository() }
        try root.child("b.sql").requireInsideRepository()
    }
}
