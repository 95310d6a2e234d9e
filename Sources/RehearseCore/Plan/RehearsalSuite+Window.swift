extension RehearsalSuite {
    /// The suite with only part of its chain rehearsed (`--from` / `--to`): subjects before `from` are applied
    /// forward only, unchecked; subjects after `to` are left out.
    ///
    /// - Throws: ``InputError`` naming the flag when the id is not a migration of this chain, with the closest id.
    public func window(from: String?, to: String?) throws -> RehearsalSuite {
        guard from != nil || to != nil else { return self }
        let ids = subjects.compactMap { subject -> String? in
            if case let .migration(id) = subject.id { return id }
            return nil
        }
        func index(of id: String, flag: String) throws -> Int {
            if let index = ids.firstIndex(of: id) { return index }
            let closest = ids.min { ChainBuilder.distance($0, id) < ChainBuilder.distance($1, id) }
            throw InputError(file: flag, "`\(id)` is not a migration of \(name)\(closest.map { "; did you mean `\($0)`?" } ?? "")")
        }
        guard isChain else {
            throw InputError(file: from != nil ? "--from" : "--to", "applies to chain layouts; \(name) is a \(layout) project")
        }
        let first = try from.map { try index(of: $0, flag: "--from") } ?? 0
        let last = try to.map { try index(of: $0, flag: "--to") } ?? ids.count - 1
        guard first <= last else {
            throw InputError(file: "--from", "`\(ids[first])` comes after --to `\(ids[last])` in \(name)")
        }
        var copy = self
        copy.subjects = Array(subjects.prefix(last + 1).enumerated().map { index, subject in
            var subject = subject
            if index < first { subject.rehearsed = false }
            return subject
        })
        return copy
    }
}
