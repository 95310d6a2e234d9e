/// A table (or other relation) as a statement names it, with `public` standing for an omitted schema.
///
/// Lint has no catalog and no `search_path`: `orders` and `public.orders` are taken to be the same table.
struct TableName: Sendable, Hashable, CustomStringConvertible {
    let schema: String
    let name: String

    init(schema: String?, name: String) {
        self.schema = schema ?? "public"
        self.name = name
    }

    /// The relation of a `RangeVar` node.
    init?(rangeVar: ParseNode?) {
        guard let rangeVar, let name = rangeVar["relname"]?.string else { return nil }
        self.init(schema: rangeVar["schemaname"]?.string, name: name)
    }

    /// A dotted name list (`DROP TABLE s.t` writes `["s", "t"]`).
    init?(names: [String]) {
        guard let name = names.last else { return nil }
        self.init(schema: names.count > 1 ? names[names.count - 2] : nil, name: name)
    }

    /// `orders`, or `audit.orders` outside `public`.
    var description: String { schema == "public" ? name : "\(schema).\(name)" }
}
