import Foundation
import RehearseCore

/// The Node.js program that runs JavaScript (migrate-mongo) migrations, and the shim it runs them with.
///
/// Looked up in this order: `REHEARSE_NODE`, `node` on `PATH`, `nodejs` on `PATH` (Debian's name). No npm
/// package is needed: the driver API a migration uses comes from the shim shipped as a resource of this module.
public struct NodeProgram: Sendable, Equatable {
    public let executable: URL

    public init(executable: URL) {
        self.executable = executable
    }

    /// What to tell a user whose repository holds JavaScript migrations but who has no Node.js.
    public static let installAdvice =
        "JavaScript migrations (migrate-mongo) need Node.js 16 or later: install it (`apt-get install nodejs`, `brew install node`, "
        + "or `bash ci/install.sh`) or point REHEARSE_NODE at a node binary; no npm package is needed"

    /// The program to use.
    ///
    /// - Throws: ``EnvironmentError`` saying what to install when there is none, or when `REHEARSE_NODE` names
    ///   something that is not an executable file.
    public static func find(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> NodeProgram {
        if let value = environment["REHEARSE_NODE"], !value.isEmpty {
            let url = URL(fileURLWithPath: value)
            guard FileManager.default.isExecutableFile(atPath: url.path) else {
                throw EnvironmentError("REHEARSE_NODE=\(value) is not an executable file; point it at a node binary or unset it")
            }
            return NodeProgram(executable: url)
        }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for name in ["node", "nodejs"] {
            if let found = MongoServerProgram.searchPath(path, for: name) { return NodeProgram(executable: found) }
        }
        throw EnvironmentError(installAdvice)
    }

    /// The folder holding `runner.js`, `driver.js`, `bson.js` and `bridge.js`.
    ///
    /// - Throws: ``EnvironmentError`` when the resource bundle is missing (a binary copied away from its build).
    public static func shimDirectory() throws -> URL {
        let folder = try ShimBundle.folder()
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("runner.js").path) else {
            throw EnvironmentError("the JavaScript shim is missing from \(folder.path); rebuild Rehearse (`swift build`)")
        }
        return folder
    }

    /// Checks a file's syntax with `node --check`, which runs nothing.
    ///
    /// - Throws: ``InputError`` with the file, line and column of a syntax error and Node's message;
    ///   ``EnvironmentError`` when node cannot be started.
    public func checkSyntax(of file: URL, displayPath: String) throws {
        let outcome = try ExternalCommand(executable: executable, arguments: ["--check", file.path], timeout: 60).run()
        if outcome.timedOut {
            throw EnvironmentError("`node --check \(displayPath)` did not finish within 60 s")
        }
        guard outcome.status != 0 else { return }
        throw Self.syntaxError(outcome.output, path: file.path, displayPath: displayPath)
    }

    /// Reads Node's report of a syntax error:
    ///
    /// ```
    /// /repo/migrations/001-x.js:3
    ///   async up(db client) {
    ///               ^^^^^^
    ///
    /// SyntaxError: missing ) after argument list
    /// ```
    static func syntaxError(_ output: String, path: String, displayPath: String) -> InputError {
        let lines = output.components(separatedBy: "\n")
        var line: Int?
        var column: Int?
        if let header = lines.firstIndex(where: { $0.hasPrefix(path + ":") }) {
            line = Int(lines[header].dropFirst(path.count + 1))
            if header + 2 < lines.count, let caret = lines[header + 2].firstIndex(of: "^"),
               lines[header + 2][..<caret].allSatisfy({ $0 == " " }) {
                column = lines[header + 2].distance(from: lines[header + 2].startIndex, to: caret) + 1
            }
        }
        let message = lines.first { $0.range(of: #"^[A-Za-z]*Error: "#, options: .regularExpression) != nil }
            ?? lines.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            ?? "node --check failed"
        return InputError(file: displayPath, line: line, column: line == nil ? nil : column, "JavaScript syntax error: \(message)")
    }
}

/// Locates the shim resource without Foundation's generated accessor, which stops the process when it cannot
/// find the bundle; falls back to that accessor only once the bundle is known to exist.
enum ShimBundle {
    static let bundleName = "Rehearse_RehearseMongo.resources"

    static func folder() throws -> URL {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent(bundleName))
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent(bundleName))
        // `swift test` runs an .xctest bundle inside the build folder, next to the resource bundles.
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent(bundleName))
        for candidate in candidates {
            let shim = candidate.appendingPathComponent("shim")
            if FileManager.default.fileExists(atPath: shim.path) { return shim }
        }
        throw EnvironmentError(
            "the JavaScript shim (\(bundleName)/shim) was not found next to \(Bundle.main.executableURL?.path ?? "the executable"); "
            + "keep the resource bundle beside the rehearse binary"
        )
    }
}
