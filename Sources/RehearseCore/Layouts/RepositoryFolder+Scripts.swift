import Foundation

/// What the flat-layout sources share: making script files of entries, and reading them.
extension RepositoryFolder {
    /// True when this entry exists and is a regular file (or a link to one).
    public var isFile: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// This file as a chain script.
    ///
    /// `phase` is the role's name (`forward`, `undo`, `verify`, `baseline`): flat layouts have no phase folders.
    func script(_ role: ScriptFile.Role, execution: ExecutionMode, summary: String, section: Range<Int>? = nil) -> ScriptFile {
        ScriptFile(
            url: url, displayPath: display, role: role, phase: role.rawValue, number: nil, summary: summary, execution: execution,
            section: section
        )
    }

    /// The file's bytes.
    ///
    /// - Throws: ``InputError`` naming the file when it cannot be read.
    func readBytes() throws -> [UInt8] {
        do {
            return Array(try Data(contentsOf: url))
        } catch {
            throw InputError(file: display, "cannot be read: \((error as NSError).localizedDescription)")
        }
    }

    /// Files below this folder, sub-folders included, skipping dot-files and dot-folders; in byte order of their
    /// paths below this folder.
    func filesRecursively() throws -> [RepositoryFolder] {
        var files: [RepositoryFolder] = []
        for name in try entries() where !name.hasPrefix(".") {
            let entry = child(name)
            if entry.isDirectory {
                files += try entry.filesRecursively()
            } else {
                files.append(entry)
            }
        }
        return files
    }

    /// Whether the text has a line that, trimmed, equals `line` (an in-file setting such as Flyway's
    /// `-- flyway:executeInTransaction=false`).
    static func text(_ text: String, hasLine line: String) -> Bool {
        text.split(whereSeparator: \.isNewline).contains { $0.trimmingCharacters(in: .whitespaces) == line }
    }
}
