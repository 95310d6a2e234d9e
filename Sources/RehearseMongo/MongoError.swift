internal import CMongoC

/// An error from libmongoc, libbson or the server, with the C library's domain and code and the message.
///
/// Every `bson_error_t` becomes one of these in ``init(_:library:)``; write errors and write concern errors that
/// arrive inside an otherwise successful reply are raised with the `write` and `writeConcern` domains.
public struct MongoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the error came from, named after libmongoc's error domains.
    public enum Domain: String, Sendable, Equatable {
        /// The server rejected the command (`ok: 0`); `code` is the server's error code.
        case server
        /// A `writeErrors` entry in the reply (duplicate key 11000, validation 121, …).
        case write
        /// A `writeConcernError` in the reply.
        case writeConcern
        /// No server could be reached or selected in time.
        case serverSelection
        /// The connection broke or could not be opened.
        case stream
        /// The URI, authentication or another client-side problem.
        case client
        /// The wire protocol reply was malformed.
        case `protocol`
        /// Extended JSON that libbson could not read or a document it could not build.
        case json
        case other
    }

    public var domain: Domain
    /// The raw `bson_error_t.domain`, for support questions.
    public var rawDomain: UInt32
    /// The server's error code for `server`, `write` and `writeConcern`; libmongoc's code otherwise.
    public var code: UInt32
    public var message: String

    public init(domain: Domain, rawDomain: UInt32 = 0, code: UInt32, message: String) {
        self.domain = domain
        self.rawDomain = rawDomain
        self.code = code
        self.message = message
    }

    /// Which C library filled the `bson_error_t`: their domain numbers overlap.
    enum Library { case libbson, libmongoc }

    /// The one place where a C error becomes a Swift error.
    init(_ error: bson_error_t, library: Library) {
        let message = withUnsafeBytes(of: error.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        let domain: Domain
        switch library {
        case .libbson:
            domain = .json
        case .libmongoc:
            switch error.domain {
            case MONGOC_ERROR_SERVER.rawValue, MONGOC_ERROR_QUERY.rawValue, MONGOC_ERROR_COMMAND.rawValue: domain = .server
            case MONGOC_ERROR_WRITE_CONCERN.rawValue: domain = .writeConcern
            case MONGOC_ERROR_SERVER_SELECTION.rawValue: domain = .serverSelection
            case MONGOC_ERROR_STREAM.rawValue: domain = .stream
            case MONGOC_ERROR_CLIENT.rawValue, MONGOC_ERROR_SASL.rawValue, MONGOC_ERROR_SCRAM.rawValue: domain = .client
            case MONGOC_ERROR_PROTOCOL.rawValue: domain = .protocol
            case MONGOC_ERROR_BSON.rawValue: domain = .json
            default: domain = .other
            }
        }
        self.init(domain: domain, rawDomain: error.domain, code: error.code, message: message.isEmpty ? "unknown error" : message)
    }

    /// Whether the server itself refused the command or one of its writes (as opposed to not being reachable).
    public var isServerVerdict: Bool {
        domain == .server || domain == .write || domain == .writeConcern
    }

    public var description: String {
        switch domain {
        case .server, .write, .writeConcern: "MongoDB error \(code): \(message)"
        case .json: "invalid Extended JSON: \(message)"
        default: "\(message) (libmongoc \(domain.rawValue) error \(code))"
        }
    }
}
