import Foundation
internal import CLibPQ
import RehearseCore

/// Where to connect: libpq connection parameters (`host`, `port`, `user`, `dbname`, `password`, `sslmode`, …).
///
/// Built from a unix socket directory or from a user's URL / conninfo string. The password stays inside:
/// ``description`` and ``location`` never show it, and ``toolEnvironment`` hands it to `pg_dump` through
/// `PGPASSWORD` rather than the command line. ``sessionTimeouts`` reach the server as startup options
/// (`-c statement_timeout=… -c lock_timeout=…`), so every session opened for this target has them.
public struct PostgresTarget: Sendable, Equatable, CustomStringConvertible {
    /// Parameters in libpq keyword form, without empty values.
    public private(set) var parameters: [String: String]
    /// The limits every session gets; nil leaves the server's settings alone.
    public var sessionTimeouts: SessionTimeouts?

    public init(parameters: [String: String], sessionTimeouts: SessionTimeouts? = nil) {
        self.parameters = parameters.filter { !$0.value.isEmpty }
        self.sessionTimeouts = sessionTimeouts
    }

    /// A server listening on a unix socket in `socketDirectory`.
    public static func socket(directory: String, port: Int, user: String, database: String, password: String? = nil) -> PostgresTarget {
        var parameters = ["host": directory, "port": String(port), "user": user, "dbname": database]
        parameters["password"] = password
        return PostgresTarget(parameters: parameters)
    }

    /// The same target with these session limits.
    public func with(sessionTimeouts: SessionTimeouts?) -> PostgresTarget {
        var copy = self
        copy.sessionTimeouts = sessionTimeouts
        return copy
    }

    /// libpq quotes the offending piece of the URL, which may be the password: show the complaint, not the piece.
    static func hidingQuotedTokens(_ reason: String) -> String {
        var result = ""
        var inQuotes = false
        for character in reason {
            if character == "\"" {
                result.append(inQuotes ? "…\"" : "\"")
                inQuotes.toggle()
            } else if !inQuotes {
                result.append(character)
            }
        }
        return result
    }

    /// Parses a `postgresql://user:secret@host:port/db?sslmode=…` URL or a `host=… dbname=…` conninfo string.
    ///
    /// Credentials are taken up to the last `@` before the host, so a password with an unencoded `@` or `/`
    /// stays one password (``ConnectionURL/normalizingCredentials(_:)``).
    ///
    /// - Throws: ``InputError`` with libpq's reason; the URL itself is not repeated, since it may hold a password.
    public init(url: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(ConnectionURL.normalizingCredentials(url), &errorMessage) else {
            defer { if let errorMessage { PQfreemem(errorMessage) } }
            let reason = errorMessage.map { String(cString: $0).trimmingTrailingNewlines } ?? "out of memory"
            throw InputError(file: "--postgres-url", "invalid PostgreSQL URL: \(ConnectionURL.masked(Self.hidingQuotedTokens(reason)))")
        }
        defer { PQconninfoFree(options) }
        var parameters: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                parameters[String(cString: keyword)] = String(cString: value)
            }
            option += 1
        }
        if let port = parameters["port"], !port.split(separator: ",", omittingEmptySubsequences: false).allSatisfy({ UInt16($0) != nil }) {
            throw InputError(file: "--postgres-url", "invalid PostgreSQL URL: the port must be a number")
        }
        self.init(parameters: parameters)
    }

    /// The same server and credentials, another database.
    public func database(_ name: String) -> PostgresTarget {
        var copy = self
        copy.parameters["dbname"] = name
        return copy
    }

    public var databaseName: String? { parameters["dbname"] }

    /// `host:port`, for reports; a socket directory is shown as the host.
    public var location: String {
        let host = parameters["host"] ?? parameters["hostaddr"] ?? "localhost"
        return "\(host):\(parameters["port"] ?? "5432")"
    }

    /// `host:port/db`.
    public var description: String { location + "/" + (databaseName ?? parameters["user"] ?? "") }

    /// Environment variables that make libpq-based tools (`pg_dump`, `pg_restore`) reach this target,
    /// password included (`PGPASSWORD`), so nothing secret lands on a command line.
    public var toolEnvironment: [String: String] {
        var environment: [String: String] = [:]
        for (keyword, value) in parameters {
            if let variable = Self.environmentVariables[keyword] { environment[variable] = value }
        }
        return environment
    }

    /// libpq's own keyword -> environment variable table (`host` -> `PGHOST`, …).
    private static let environmentVariables: [String: String] = {
        var table: [String: String] = [:]
        guard let defaults = PQconndefaults() else { return table }
        defer { PQconninfoFree(defaults) }
        var option = defaults
        while let keyword = option.pointee.keyword {
            if let variable = option.pointee.envvar { table[String(cString: keyword)] = String(cString: variable) }
            option += 1
        }
        return table
    }()

    /// Calls `body` with NULL-terminated keyword and value arrays for `PQconnectdbParams`.
    func withConnectionParameters<Result>(
        _ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<UnsafePointer<CChar>?>) throws -> Result
    ) rethrows -> Result {
        var pairs = parameters.filter { $0.key != "options" }.sorted { $0.key < $1.key }
        let options = [parameters["options"], sessionTimeouts?.serverOptions].compactMap { $0 }.joined(separator: " ")
        if !options.isEmpty { pairs.append(("options", options)) }
        if parameters["connect_timeout"] == nil { pairs.append(("connect_timeout", "10")) }
        if parameters["application_name"] == nil { pairs.append(("fallback_application_name", "rehearse")) }
        let keywords = pairs.map { strdup($0.0) } + [nil]
        let values = pairs.map { strdup($0.1) } + [nil]
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        let constKeywords = keywords.map { UnsafePointer($0) }
        let constValues = values.map { UnsafePointer($0) }
        return try constKeywords.withUnsafeBufferPointer { keywordBuffer in
            try constValues.withUnsafeBufferPointer { valueBuffer in
                // Both arrays hold at least their NULL terminator, so the base addresses exist.
                guard let keywords = keywordBuffer.baseAddress, let values = valueBuffer.baseAddress else {
                    preconditionFailure("empty connection parameter arrays")
                }
                return try body(keywords, values)
            }
        }
    }
}
