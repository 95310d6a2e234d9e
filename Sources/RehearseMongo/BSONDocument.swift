internal import CMongoC

/// An owned libbson document.
///
/// libbson declares `bson_t` 128-byte aligned, so Swift only sees it as an `OpaquePointer`: documents are always
/// heap-allocated by libbson (`bson_new`, `bson_new_from_json`, `bson_copy`) and freed here with `bson_destroy`.
/// The pointer is only lent inside ``withPointer(_:)``.
final class BSONDocument {
    private let pointer: OpaquePointer

    /// An empty document.
    init() {
        pointer = bson_new()
    }

    /// Takes ownership of a document libbson allocated on the heap.
    init(owning pointer: OpaquePointer) {
        self.pointer = pointer
    }

    /// Parses canonical or relaxed Extended JSON holding one document.
    ///
    /// - Throws: ``MongoError`` with the `json` domain and libbson's message.
    init(json: String) throws(MongoError) {
        var error = bson_error_t()
        let parsed = json.withCString { text in
            bson_new_from_json(UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), -1, &error)
        }
        guard let parsed else { throw MongoError(error, library: .libbson) }
        pointer = parsed
    }

    deinit {
        bson_destroy(pointer)
    }

    func withPointer<Result>(_ body: (OpaquePointer) throws -> Result) rethrows -> Result {
        try body(pointer)
    }

    /// Canonical Extended JSON: every number keeps its BSON type (`{"$numberInt": "1"}`).
    var canonicalJSON: String {
        Self.take(bson_as_canonical_extended_json(pointer, nil))
    }

    /// Relaxed Extended JSON: numbers as plain JSON numbers, dates as ISO strings where they fit.
    var relaxedJSON: String {
        Self.take(bson_as_relaxed_extended_json(pointer, nil))
    }

    /// Copies a libbson-allocated string and frees it.
    private static func take(_ text: UnsafeMutablePointer<CChar>?) -> String {
        guard let text else { return "{}" }
        defer { bson_free(text) }
        return String(cString: text)
    }

    /// Whether `json` is one Extended JSON document libbson accepts; the message of its complaint otherwise.
    static func validationError(json: String) -> String? {
        do {
            _ = try BSONDocument(json: json)
            return nil
        } catch {
            return error.message
        }
    }
}
