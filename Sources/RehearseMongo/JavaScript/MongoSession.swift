internal import CMongoC

/// A libmongoc client session, for a JavaScript migration's `session.withTransaction(…)` on a server that has
/// transactions (a replica set or mongos); libmongoc adds `lsid`, `txnNumber` and `startTransaction` itself.
///
/// Owned by one ``JavaScriptBridge``, used on its thread only; ``end()`` frees it and is safe to call twice.
final class MongoSession {
    private let client: MongoClient
    private var session: OpaquePointer?

    /// - Throws: ``MongoError`` when libmongoc cannot start a session (the server has none).
    init(client: MongoClient) throws(MongoError) {
        self.client = client
        var error = bson_error_t()
        let started = client.withPointer { mongoc_client_start_session($0, nil, &error) }
        guard let started else { throw MongoError(error, library: .libmongoc) }
        session = started
    }

    deinit {
        end()
    }

    /// Runs `command` in the session (inside its transaction when one is open).
    func run(database: String, command: BSONDocument) -> (reply: String?, error: MongoError?) {
        guard let session else {
            return (nil, MongoError(domain: .client, code: 0, message: "the session has ended"))
        }
        var error = bson_error_t()
        let options = BSONDocument()
        let appended = options.withPointer { mongoc_client_session_append(session, $0, &error) }
        guard appended else { return (nil, MongoError(error, library: .libmongoc)) }
        var succeeded = false
        let reply = client.withPointer { pointer in
            command.withPointer { commandPointer in
                options.withPointer { optionsPointer in
                    BSONDocument(owning: rehearse_client_command_with_opts(pointer, database, commandPointer, optionsPointer, &error, &succeeded))
                }
            }
        }
        let isEmpty = reply.withPointer { bson_count_keys($0) == 0 }
        return (isEmpty ? nil : reply.canonicalJSON, succeeded ? nil : MongoError(error, library: .libmongoc))
    }

    func startTransaction() -> MongoError? {
        guard let session else { return MongoError(domain: .client, code: 0, message: "the session has ended") }
        var error = bson_error_t()
        return mongoc_client_session_start_transaction(session, nil, &error) ? nil : MongoError(error, library: .libmongoc)
    }

    func commitTransaction() -> (reply: String?, error: MongoError?) {
        guard let session else { return (nil, MongoError(domain: .client, code: 0, message: "the session has ended")) }
        var error = bson_error_t()
        var succeeded = false
        let reply = BSONDocument(owning: rehearse_session_commit(session, &error, &succeeded))
        let isEmpty = reply.withPointer { bson_count_keys($0) == 0 }
        return (isEmpty ? nil : reply.canonicalJSON, succeeded ? nil : MongoError(error, library: .libmongoc))
    }

    func abortTransaction() -> MongoError? {
        guard let session else { return nil }
        var error = bson_error_t()
        return mongoc_client_session_abort_transaction(session, &error) ? nil : MongoError(error, library: .libmongoc)
    }

    func end() {
        guard let session else { return }
        mongoc_client_session_destroy(session)
        self.session = nil
    }
}
