import RehearseCore

extension MongoDatabase {
    /// Every document of every collection (views left out) as canonical Extended JSON, so that a number that
    /// changed from int32 to double counts as a change. Rows are keyed by `_id`; the columns are the document's
    /// top-level fields in stored order (field order is significant in BSON and is kept).
    public func fingerprint() throws -> DataFingerprint {
        var tables: [String: TableData] = [:]
        for collection in try collections(bookkeeping: false) where collection.type != "view" {
            let documents = try readCursor(
                #"{"find": \#(JSONValue.quoted(collection.name)), "filter": {}, "batchSize": 1000}"#,
                collection: collection.name, canonical: true
            )
            let rows = documents.map(Self.row)
            tables[collection.name] = TableData(keyColumns: ["_id"], rows: rows)
        }
        return DataFingerprint(tables: tables)
    }

    static func row(_ document: JSONValue) -> DataRow {
        let members = document.members ?? []
        let key = document["_id"].map { "_id=" + readableID($0) } ?? document.jsonText
        return DataRow(key: key, columns: members.map(\.key), values: members.map { $0.value.jsonText })
    }

    /// `42`, `"A-1"`, `ObjectId(65f…)`: an `_id` as users write it; anything else as canonical Extended JSON.
    static func readableID(_ id: JSONValue) -> String {
        if case let .object(members) = id, members.count == 1, let text = members[0].value.stringValue {
            switch members[0].key {
            case "$oid": return "ObjectId(\(text))"
            case "$numberInt", "$numberLong": return text
            case "$numberDouble": return text
            default: break
            }
        }
        return id.jsonText
    }
}
