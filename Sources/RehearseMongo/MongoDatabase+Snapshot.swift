import RehearseCore

extension MongoDatabase {
    /// Collections (with their type and options) and indexes (key and options), `system.*` and `_id_` left out.
    ///
    /// Definitions are rendered the way a mongo shell user reads them, with the keys of order-insensitive options
    /// (validator, collation, partial filter) sorted so that equal things compare equal; index keys keep their order.
    public func snapshot() throws -> SchemaSnapshot {
        var objects: [SnapshotObject] = []
        for collection in try collections(bookkeeping: false) {
            let kind = collection.type == "view" ? "view" : "collection"
            objects.append(SnapshotObject(kind: kind, name: collection.name, definition: Self.collectionDefinition(collection)))
            guard kind == "collection" else { continue }
            for spec in try indexes(of: collection.name) {
                guard let indexName = spec["name"]?.stringValue, indexName != "_id_" else { continue }
                objects.append(SnapshotObject(kind: "index", name: "\(collection.name).\(indexName)", definition: Self.indexDefinition(spec)))
            }
        }
        return SchemaSnapshot(objects: objects)
    }

    /// One `option: value` line per option, known options first in a fixed order; empty for a plain collection.
    static func collectionDefinition(_ collection: CollectionInfo) -> String {
        let order = [
            "capped", "size", "max", "timeseries", "expireAfterSeconds", "clusteredIndex", "viewOn", "pipeline",
            "collation", "validationLevel", "validationAction", "validator", "changeStreamPreAndPostImages",
        ]
        // Key order inside a pipeline is meaning ($sort); elsewhere it is not.
        let keepOrder: Set<String> = ["pipeline"]
        var lines: [String] = []
        if collection.type != "collection" && collection.type != "view" { lines.append("type: \(collection.type)") }
        let known = order.compactMap { key in collection.options.first { $0.key == key } }
        let others = collection.options.filter { !order.contains($0.key) }.sorted { $0.key < $1.key }
        for option in known + others {
            let value = keepOrder.contains(option.key) ? option.value : option.value.sortedKeys
            let rendered = value.readableLines(indent: "  ")
            if rendered.count == 1 {
                lines.append("\(option.key): \(rendered[0].dropFirst(2))")
            } else {
                lines.append("\(option.key):")
                lines += rendered
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `{ number: 1 } unique`, then `sparse`, `partial {…}`, `ttl 3600s`, `collation {…}` and any other option.
    static func indexDefinition(_ spec: JSONValue) -> String {
        var parts = [spec["key"]?.readable ?? "{}"]
        if spec["unique"]?.boolValue == true { parts.append("unique") }
        if spec["sparse"]?.boolValue == true { parts.append("sparse") }
        if let filter = spec["partialFilterExpression"] { parts.append("partial " + filter.sortedKeys.readable) }
        if let ttl = spec["expireAfterSeconds"] { parts.append("ttl \(ttl.readable)s") }
        if let collation = spec["collation"] { parts.append("collation " + collation.sortedKeys.readable) }
        let handled: Set<String> = ["v", "key", "name", "ns", "unique", "sparse", "partialFilterExpression", "expireAfterSeconds", "collation"]
        for member in (spec.members ?? []).filter({ !handled.contains($0.key) }).sorted(by: { $0.key < $1.key }) {
            parts.append("\(member.key) \(member.value.sortedKeys.readable)")
        }
        return parts.joined(separator: " ")
    }
}
