import Foundation

/// A folder of a migration repository with the path shown for it in messages.
public struct RepositoryFolder: Sendable, Equatable {
    public let url: URL
    /// As the user wrote it, then extended by child names: `sample-migrations/projects/e-commerce`.
    public let display: String
    /// The repository root this folder was reached from (the folder itself for a root).
    public let root: URL

    public init(url: URL, display: String, root: URL? = nil) {
        self.url = url
        self.display = display
        self.root = root ?? url
    }

    public func child(_ name: String) -> RepositoryFolder {
        RepositoryFolder(url: url.appendingPathComponent(name), display: display == "." ? name : display + "/" + name, root: root)
    }

    /// Refuses a file that is, or lies behind, a symbolic link leading outside the repository root, before
    /// anything reads it: its content could be any file on the machine (a secret), and an error message quoting
    /// a statement would print it.
    ///
    /// - Throws: ``InputError`` naming the file, never its target's content.
    public func requireInside(root: URL) throws {
        let resolvedRoot = root.standardizedFileURL.resolvingSymlinksInPath().path
        let resolved = url.standardizedFileURL.resolvingSymlinksInPath().path
        guard resolved == resolvedRoot || resolved.hasPrefix(resolvedRoot.hasSuffix("/") ? resolvedRoot : resolvedRoot + "/") else {
            throw InputError(file: display, "is a symbolic link that leads outside the repository; Rehearse reads only files inside it (copy the file into the repository instead)")
        }
    }

    /// ``requireInside(root:)`` for the root this folder was reached from.
    public func requireInsideRepository() throws {
        try requireInside(root: root)
    }

    public var name: String { url.lastPathComponent }

    public var isDirectory: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    public func contains(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent(name).path)
    }

    /// Entry names sorted by name (byte order, as `ls` in the C locale).
    ///
    /// - Throws: ``InputError`` when the folder cannot be listed.
    public func entries() throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: url.path)
                .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        } catch {
            throw InputError(file: display, "cannot be listed: \(error.localizedDescription)")
        }
    }

    /// Entry names, or none when the folder cannot be listed (for detection, which must not throw).
    public var entriesOrEmpty: [String] { (try? entries()) ?? [] }

    /// The file's text.
    ///
    /// - Throws: ``InputError`` when it cannot be read as UTF-8.
    public func readText() throws -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw InputError(file: display, "cannot be read as UTF-8 text")
        }
    }
}
