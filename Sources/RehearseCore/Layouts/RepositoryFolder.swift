import Foundation

/// A folder of a migration repository with the path shown for it in messages.
public struct RepositoryFolder: Sendable, Equatable {
    public let url: URL
    /// As the user wrote it, then extended by child names: `sample-migrations/projects/e-commerce`.
    public let display: String

    public init(url: URL, display: String) {
        self.url = url
        self.display = display
    }

    public func child(_ name: String) -> RepositoryFolder {
        RepositoryFolder(url: url.appendingPathComponent(name), display: display == "." ? name : display + "/" + name)
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
