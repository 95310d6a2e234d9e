import Foundation
import RehearseCore

/// A MongoDB server program on this machine: a real `mongod`, or nx-27017 standing in for one.
///
/// Looked up in this order: `REHEARSE_MONGOD`, `mongod` on `PATH`, `REHEARSE_NX27017`, `nx-27017` on `PATH`, then
/// `~/.local/bin/nx-27017` (pip's `--user` and pipx's place), then the virtual environment that Rehearse's
/// `ci/install-nx27017.sh` creates under `${REHEARSE_CACHE_DIR:-$HOME/.cache/rehearse}`.
public struct MongoServerProgram: Sendable, Equatable {
    public enum Product: String, Sendable, Equatable {
        case mongod
        case nx27017 = "nx-27017"
    }

    public let product: Product
    public let executable: URL

    public init(product: Product, executable: URL) {
        self.product = product
        self.executable = executable
    }

    /// What to tell a user who has no server at all.
    public static let installAdvice = "no MongoDB server found; " + installRemedy

    /// How to get a server: never a path into Rehearse's own checkout, which a user of the binary does not have.
    public static let installRemedy =
        "install nx-27017 (`pip install nx-27017`, a MongoDB wire-protocol server) or mongod "
        + "(REHEARSE_NX27017 or REHEARSE_MONGOD may name the binary), or pass --mongodb-url"

    /// The server to start, or nil when there is none.
    ///
    /// - Throws: ``EnvironmentError`` when `REHEARSE_MONGOD` or `REHEARSE_NX27017` names something that is not an
    ///   executable file: a setting the user made on purpose should not be silently replaced by another server.
    public static func find(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> MongoServerProgram? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        if let explicit = try explicitProgram("REHEARSE_MONGOD", product: .mongod, environment: environment) { return explicit }
        if let found = searchPath(path, for: "mongod") { return MongoServerProgram(product: .mongod, executable: found) }
        if let explicit = try explicitProgram("REHEARSE_NX27017", product: .nx27017, environment: environment) { return explicit }
        if let found = searchPath(path, for: "nx-27017") { return MongoServerProgram(product: .nx27017, executable: found) }
        // Where `pip install --user nx-27017` and `pipx install nx-27017` put it, often not on PATH.
        let userBinary = userNX27017Location(environment: environment)
        if isExecutable(userBinary) { return MongoServerProgram(product: .nx27017, executable: userBinary) }
        let venvBinary = defaultNX27017Location(environment: environment)
        if isExecutable(venvBinary) { return MongoServerProgram(product: .nx27017, executable: venvBinary) }
        return nil
    }

    /// `~/.local/bin/nx-27017`.
    static func userNX27017Location(environment: [String: String]) -> URL {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/bin/nx-27017")
    }

    /// Where `ci/install-nx27017.sh` puts the nx-27017 binary.
    public static func defaultNX27017Location(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let cache: URL
        if let configured = environment["REHEARSE_CACHE_DIR"], !configured.isEmpty {
            cache = URL(fileURLWithPath: configured)
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            cache = URL(fileURLWithPath: home).appendingPathComponent(".cache/rehearse")
        }
        return cache.appendingPathComponent("nx-27017/bin/nx-27017")
    }

    private static func explicitProgram(_ variable: String, product: Product, environment: [String: String]) throws -> MongoServerProgram? {
        guard let value = environment[variable], !value.isEmpty else { return nil }
        let url = URL(fileURLWithPath: value)
        guard isExecutable(url) else {
            throw EnvironmentError("\(variable)=\(value) is not an executable file; point it at a \(product.rawValue) binary or unset it")
        }
        return MongoServerProgram(product: product, executable: url)
    }

    static func searchPath(_ path: String, for name: String) -> URL? {
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if isExecutable(candidate) { return candidate }
        }
        return nil
    }

    private static func isExecutable(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
            && FileManager.default.isExecutableFile(atPath: url.path)
    }

    /// The installed nx-27017 package version, read from its virtual environment's metadata; nil when not found.
    ///
    /// nx-27017's `buildInfo` reports the MongoDB version it imitates (7.0.0), not its own.
    func packageVersion() -> String? {
        guard product == .nx27017 else { return nil }
        let environment = executable.resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
        let lib = environment.appendingPathComponent("lib")
        let fileManager = FileManager.default
        guard let pythons = try? fileManager.contentsOfDirectory(atPath: lib.path) else { return nil }
        for python in pythons where python.hasPrefix("python") {
            let sitePackages = lib.appendingPathComponent(python).appendingPathComponent("site-packages")
            guard let entries = try? fileManager.contentsOfDirectory(atPath: sitePackages.path) else { continue }
            for entry in entries where entry.hasPrefix("nx_27017-") && entry.hasSuffix(".dist-info") {
                return String(entry.dropFirst("nx_27017-".count).dropLast(".dist-info".count))
            }
        }
        return nil
    }
}
