import RehearseCore

extension MongoDatabase {
    /// A new scratch database with the same collections (and options), indexes, views and documents.
    ///
    /// MongoDB has no template databases, so this copies: `create` with the listed options, `createIndexes` with
    /// the listed specifications, then the documents in batches (`bypassDocumentValidation`, since documents that
    /// a `moderate` or `warn` validator let in must be copied too). Views are created last.
    ///
    /// - Throws: ``MongoError`` when a copy step fails; the half-made clone is dropped.
    public func clone(label: String) throws -> any ScratchDatabase {
        try cloneDatabase(label: label)
    }

    func cloneDatabase(label: String) throws -> MongoDatabase {
        let target = try engine.createMongoDatabase(label: label)
        do {
            let all = try collections(canonical: true)
            for collection in all where collection.type != "view" {
                try copy(collection, into: target)
            }
            for view in all where view.type == "view" {
                let create = JSONValue.object([JSONMember(key: "create", value: .string(view.name))] + view.options)
                _ = try target.client.runCommand(database: target.name, commandJSON: create.jsonText)
            }
            return target
        } catch {
            target.drop()
            throw error
        }
    }

    private func copy(_ collection: CollectionInfo, into target: MongoDatabase) throws {
        let create = JSONValue.object([JSONMember(key: "create", value: .string(collection.name))] + collection.options)
        _ = try target.client.runCommand(database: target.name, commandJSON: create.jsonText)

        let specs = try indexes(of: collection.name, canonical: true).compactMap { spec -> JSONValue? in
            guard let members = spec.members, spec["name"]?.stringValue != "_id_" else { return nil }
            return .object(members.filter { $0.key != "v" && $0.key != "ns" })
        }
        if !specs.isEmpty {
            let command = JSONValue.object([
                JSONMember(key: "createIndexes", value: .string(collection.name)),
                JSONMember(key: "indexes", value: .array(specs)),
            ])
            _ = try target.client.runCommand(database: target.name, commandJSON: command.jsonText)
        }

        let documents = try readCursor(
            #"{"find": \#(JSONValue.quoted(collection.name)), "filter": {}, "batchSize": 1000}"#,
            collection: collection.name, canonical: true
        )
        // Batches well under the 16 MB command limit, counted in JSON text (larger than the BSON it becomes).
        var batch: [String] = []
        var batchSize = 0
        func flush() throws {
            guard !batch.isEmpty else { return }
            let command = #"{"insert": \#(JSONValue.quoted(collection.name)), "documents": [\#(batch.joined(separator: ", "))], "ordered": true, "bypassDocumentValidation": true}"#
            _ = try target.client.runCommand(database: target.name, commandJSON: command)
            batch.removeAll(keepingCapacity: true)
            batchSize = 0
        }
        for document in documents {
            let text = document.jsonText
            if batch.count == 500 || batchSize + text.utf8.count > 4_000_000 { try flush() }
            batch.append(text)
            batchSize += text.utf8.count
        }
        try flush()
    }
}
