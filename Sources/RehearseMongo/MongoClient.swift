internal import CMongoC
import RehearseCore

/// A connection to one MongoDB server (or nx-27017) through libmongoc.
///
/// Commands go in and replies come back as Extended JSON. A client is used by one thread at a time; each scratch
/// database has its own. The URI, which may hold a password, is never kept or shown: ``target`` says `host:port`.
public final class MongoClient {
    /// `mongoc_init` must run once per process, before any other libmongoc call.
    private static let libraryReady: Void = {
        MongoSharedCounters.release()
        mongoc_init()
        // libmongoc logs warnings to stderr; Rehearse reports errors itself.
        mongoc_log_set_handler(nil, nil)
    }()

    private let client: OpaquePointer
    /// Where the client connects, `host:port` (comma-separated for several hosts), never with credentials.
    public let target: String

    /// Connects lazily: the first command selects a server, waiting at most `serverSelectionTimeoutMS`.
    ///
    /// - Parameter uri: a `mongodb://` URI; it may carry credentials, which stay inside libmongoc.
    /// - Throws: ``MongoError`` (`client` domain) when the URI is malformed; the message never repeats the URI.
    public init(uri original: String, serverSelectionTimeoutMS: Int32 = 5000) throws(MongoError) {
        _ = Self.libraryReady
        // A password with an unencoded `@` or `/` is still one password (split at the last `@`).
        let uri = ConnectionURL.normalizingCredentials(original)
        var error = bson_error_t()
        guard let parsed = mongoc_uri_new_with_error(uri, &error) else {
            var failure = MongoError(error, library: .libmongoc)
            failure.message = Self.redacted(Self.redacted(failure.message, uri: uri), uri: original)
            throw failure
        }
        defer { mongoc_uri_destroy(parsed) }
        if !mongoc_uri_has_option(parsed, MONGOC_URI_SERVERSELECTIONTIMEOUTMS) {
            _ = mongoc_uri_set_option_as_int32(parsed, MONGOC_URI_SERVERSELECTIONTIMEOUTMS, serverSelectionTimeoutMS)
        }
        if !mongoc_uri_has_option(parsed, MONGOC_URI_CONNECTTIMEOUTMS) {
            _ = mongoc_uri_set_option_as_int32(parsed, MONGOC_URI_CONNECTTIMEOUTMS, min(serverSelectionTimeoutMS, 5000))
        }
        var hosts: [String] = []
        var host = mongoc_uri_get_hosts(parsed)
        while let current = host {
            hosts.append(withUnsafeBytes(of: current.pointee.host_and_port) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) })
            host = UnsafePointer(current.pointee.next)
        }
        guard let client = mongoc_client_new_from_uri_with_error(parsed, &error) else {
            var failure = MongoError(error, library: .libmongoc)
            failure.message = Self.redacted(Self.redacted(failure.message, uri: uri), uri: original)
            throw failure
        }
        // Version 2 reports server errors in the MONGOC_ERROR_SERVER domain with the server's own code.
        _ = mongoc_client_set_error_api(client, 2)
        self.client = client
        self.target = hosts.isEmpty ? "(no host)" : hosts.joined(separator: ",")
    }

    deinit {
        mongoc_client_destroy(client)
    }

    /// Runs one command on `database` and returns the reply as Extended JSON.
    ///
    /// A reply with `ok: 0` throws, and so does an otherwise successful reply holding `writeErrors` or a
    /// `writeConcernError`: a migration whose insert hit a duplicate key failed, whatever `ok` says.
    ///
    /// - Parameters:
    ///   - commandJSON: one command document, canonical or relaxed Extended JSON.
    ///   - canonical: reply in canonical Extended JSON (every number keeps its BSON type) rather than relaxed.
    /// - Throws: ``MongoError``: `json` for a command libbson cannot read, `server`/`write`/`writeConcern` for the
    ///   server's refusal, `serverSelection`/`stream` when the server cannot be reached.
    public func runCommand(database: String, commandJSON: String, canonical: Bool = false) throws(MongoError) -> String {
        let command = try BSONDocument(json: commandJSON)
        let reply = try runCommand(database: database, command: command)
        return canonical ? reply.canonicalJSON : reply.relaxedJSON
    }

    /// Runs `commandJSON` and returns the reply parsed into a tree (relaxed Extended JSON unless `canonical`).
    func command(database: String, _ commandJSON: String, canonical: Bool = false) throws(MongoError) -> JSONValue {
        let text = try runCommand(database: database, commandJSON: commandJSON, canonical: canonical)
        do {
            return try ExtendedJSONScanner.parse(text, file: "reply")
        } catch {
            throw MongoError(domain: .protocol, code: 0, message: "libbson produced a reply that is not JSON: \(error.message)")
        }
    }

    /// Lends the libmongoc client to `body` (for ``MongoSession``); the pointer must not escape it.
    func withPointer<Result>(_ body: (OpaquePointer) throws -> Result) rethrows -> Result {
        try body(client)
    }

    func runCommand(database: String, command: BSONDocument) throws(MongoError) -> BSONDocument {
        var error = bson_error_t()
        var succeeded = false
        let reply = command.withPointer { commandPointer in
            BSONDocument(owning: rehearse_client_command_simple(client, database, commandPointer, &error, &succeeded))
        }
        guard succeeded else { throw MongoError(error, library: .libmongoc) }
        try Self.checkWriteErrors(reply)
        return reply
    }

    /// Runs one command and returns the server's reply as canonical Extended JSON even when the server refused
    /// it, and without raising its `writeErrors`: the JavaScript shim reads them as the Node driver does.
    ///
    /// - Returns: the reply (nil when no server answered) and the error, when libmongoc reports one.
    func runCommandKeepingReply(database: String, command: BSONDocument) -> (reply: String?, error: MongoError?) {
        var error = bson_error_t()
        var succeeded = false
        let reply = command.withPointer { commandPointer in
            BSONDocument(owning: rehearse_client_command_simple(client, database, commandPointer, &error, &succeeded))
        }
        let isEmpty = reply.withPointer { bson_count_keys($0) == 0 }
        return (isEmpty ? nil : reply.canonicalJSON, succeeded ? nil : MongoError(error, library: .libmongoc))
    }

    /// Raises the first `writeErrors` entry or the `writeConcernError` of a reply that libmongoc let through.
    private static func checkWriteErrors(_ reply: BSONDocument) throws(MongoError) {
        let hasWriteProblem = reply.withPointer { pointer in
            bson_has_field(pointer, "writeErrors") || bson_has_field(pointer, "writeConcernError")
        }
        guard hasWriteProblem else { return }
        let tree: JSONValue
        do {
            tree = try ExtendedJSONScanner.parse(reply.relaxedJSON, file: "reply")
        } catch {
            throw MongoError(domain: .protocol, code: 0, message: "a reply with write errors could not be read: \(error.message)")
        }
        if let errors = tree["writeErrors"]?.elements, let first = errors.first {
            let more = errors.count > 1 ? " (and \(errors.count - 1) more write error\(errors.count == 2 ? "" : "s"))" : ""
            let index = first["index"]?.integerValue.map { " (document \($0 + 1) of the command)" } ?? ""
            throw MongoError(
                domain: .write, code: UInt32(clamping: first["code"]?.integerValue ?? 0),
                message: (first["errmsg"]?.stringValue ?? "write error") + index + more
            )
        }
        if let concern = tree["writeConcernError"], concern.members != nil {
            throw MongoError(
                domain: .writeConcern, code: UInt32(clamping: concern["code"]?.integerValue ?? 0),
                message: concern["errmsg"]?.stringValue ?? "write concern error"
            )
        }
    }

    /// Removes the URI (and anything that looks like its credentials) from a libmongoc message.
    static func redacted(_ message: String, uri: String) -> String {
        var text = ConnectionURL.masked(message.replacingOccurrences(of: uri, with: "<uri>"))
        if let scheme = uri.range(of: "://"), let at = uri[scheme.upperBound...].firstIndex(of: "@") {
            let credentials = String(uri[scheme.upperBound..<at])
            if !credentials.isEmpty { text = text.replacingOccurrences(of: credentials, with: "<credentials>") }
            for part in credentials.split(separator: ":") where part.count >= 3 {
                text = text.replacingOccurrences(of: String(part), with: "<credentials>")
            }
        }
        return text
    }
}
