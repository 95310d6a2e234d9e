import Foundation
import RehearseCore

/// Rehearse's end of the pipe to a JavaScript migration: each request the shim sends is one JSON line, and each
/// `command` becomes one database command run with libmongoc on the scratch database.
///
/// Requests (shim → Rehearse):
/// - `{"op": "command", "command": {…}, "db": "admin"?, "session": n?}` → `{"ok": 1, "reply": {…}}`, or
///   `{"ok": 0, "error": {"domain", "code", "message"}, "reply": {…} | null}`; commands and replies are canonical
///   Extended JSON.
/// - `{"op": "startSession", "probe": true}` → `{"ok": 1, "transactions": bool}`; without `probe` a libmongoc
///   session is started (`{"ok": 1, "session": n}`), then `startTransaction`, `commitTransaction`,
///   `abortTransaction` and `endSession` name it.
/// - `note`, `done` and `failed` have no reply; ``NodeRunner`` reads them.
///
/// Only the scratch database is reachable: a command carrying `$db`, a `$out` or `$merge` into another database,
/// and any admin command but a few read-only ones (and `renameCollection` within the scratch database) are refused
/// with an error the migration sees, so that a rehearsal on an existing server touches nothing else.
final class JavaScriptBridge {
    let database: MongoDatabase
    private var sessions: [Int: MongoSession] = [:]
    private var nextSession = 1

    /// Admin commands a migration may send: they read the server and change nothing.
    static let adminCommands: Set<String> = ["ping", "buildInfo", "buildinfo", "hello", "isMaster", "ismaster", "serverStatus", "hostInfo", "getParameter"]

    init(database: MongoDatabase) {
        self.database = database
    }

    deinit {
        for session in sessions.values { session.end() }
    }

    /// The reply line (without the newline) to a request that expects one.
    func reply(to request: JSONValue) -> String {
        switch request["op"]?.stringValue {
        case "command":
            return runCommand(request)
        case "startSession":
            if request["probe"]?.boolValue == true {
                return #"{"ok": 1, "transactions": \#(database.engine.supportsTransactions)}"#
            }
            return startSession()
        case "startTransaction", "commitTransaction", "abortTransaction", "endSession":
            return sessionRequest(request)
        case let other:
            return Self.refusal("the shim sent an unknown request \(other.map { "`\($0)`" } ?? "without an op")")
        }
    }

    // MARK: - Commands

    private func runCommand(_ request: JSONValue) -> String {
        guard let command = request["command"], let name = command.members?.first?.key else {
            return Self.refusal("a command must be a document that starts with the command's name")
        }
        let admin = request["db"]?.stringValue == "admin"
        if let problem = refusalReason(command, name: name, admin: admin) { return Self.refusal(problem) }
        let document: BSONDocument
        do {
            document = try BSONDocument(json: command.jsonText)
        } catch {
            return Self.refusal("the command \(name) is not valid BSON: \(error.message)", domain: "json")
        }
        let target = admin ? "admin" : database.name
        let result: (reply: String?, error: MongoError?)
        if let id = request["session"]?.integerValue, let session = sessions[Int(id)] {
            result = session.run(database: target, command: document)
        } else {
            result = database.client.runCommandKeepingReply(database: target, command: document)
        }
        return Self.answer(result)
    }

    /// Why a command must not run here, or nil when it may.
    func refusalReason(_ command: JSONValue, name: String, admin: Bool) -> String? {
        if command["$db"] != nil {
            return "\(name) names a database with $db; a rehearsal runs every command on its scratch database \(database.name)"
        }
        if admin {
            if Self.adminCommands.contains(name) { return nil }
            if name == "renameCollection" {
                let prefix = database.name + "."
                let from = command["renameCollection"]?.stringValue ?? ""
                let to = command["to"]?.stringValue ?? ""
                if from.hasPrefix(prefix) && to.hasPrefix(prefix) { return nil }
                return "renameCollection from \(from) to \(to) leaves the scratch database \(database.name); a rehearsal renames within it only"
            }
            return "\(name) on the admin database is not rehearsed; a migration may send \(Self.adminCommands.sorted().joined(separator: ", ")) there"
        }
        for stage in command["pipeline"]?.elements ?? [] {
            if let out = stage["$out"], let other = out["db"]?.stringValue, other != database.name {
                return "$out into database \(other) leaves the scratch database \(database.name)"
            }
            if let merge = stage["$merge"], let other = merge["into"]?["db"]?.stringValue, other != database.name {
                return "$merge into database \(other) leaves the scratch database \(database.name)"
            }
        }
        return nil
    }

    // MARK: - Sessions

    private func startSession() -> String {
        do {
            let session = try MongoSession(client: database.client)
            let id = nextSession
            nextSession += 1
            sessions[id] = session
            return #"{"ok": 1, "session": \#(id)}"#
        } catch {
            return Self.answer((nil, error))
        }
    }

    private func sessionRequest(_ request: JSONValue) -> String {
        guard let id = request["session"]?.integerValue, let session = sessions[Int(id)] else {
            return Self.refusal("no such session")
        }
        switch request["op"]?.stringValue {
        case "startTransaction": return Self.answer((nil, session.startTransaction()))
        case "commitTransaction": return Self.answer(session.commitTransaction())
        case "abortTransaction": return Self.answer((nil, session.abortTransaction()))
        default:
            session.end()
            sessions[Int(id)] = nil
            return #"{"ok": 1}"#
        }
    }

    // MARK: - Replies

    static func answer(_ result: (reply: String?, error: MongoError?)) -> String {
        let reply = result.reply ?? "null"
        guard let error = result.error else { return #"{"ok": 1, "reply": \#(reply)}"# }
        let domain: String
        switch error.domain {
        case .server, .write, .writeConcern: domain = "server"
        case .serverSelection, .stream: domain = "network"
        case .json: domain = "json"
        case .client, .protocol, .other: domain = "client"
        }
        return #"{"ok": 0, "error": {"domain": "\#(domain)", "code": \#(error.code), "message": \#(JSONValue.quoted(error.message))}, "reply": \#(reply)}"#
    }

    static func refusal(_ message: String, domain: String = "client") -> String {
        #"{"ok": 0, "error": {"domain": "\#(domain)", "code": 0, "message": \#(JSONValue.quoted("Rehearse: " + message))}, "reply": null}"#
    }
}
