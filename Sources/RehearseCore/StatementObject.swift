/// A catalog object that one statement creates, alters or drops, named as the schema snapshot names it.
///
/// `kind` and `name` are exactly those of the ``SnapshotObject`` the statement touches (`table` /
/// `public.orders`, `column` / `public.orders.status`, `comment` / `comment on table public.orders`), so a
/// snapshot difference can say which statement made it (`created by V1.1.0.012__x.sql:3`). The parser derives
/// them from the statement alone, without a server: objects it cannot name with confidence are left out rather
/// than guessed.
public struct StatementObject: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Action: String, Sendable, Hashable, Codable {
        /// The statement defines the object as it now stands: `CREATE`, but also `CREATE OR REPLACE` and
        /// `COMMENT ON … IS '…'`, so the object may have existed before (a snapshot shows it added or changed).
        case created
        /// The statement changes an object that exists (`ALTER …`).
        case altered
        /// The statement removes the object (`DROP`, and the old name of a `RENAME` or `SET SCHEMA`, whose new name
        /// is created).
        case dropped
    }

    /// The snapshot kind: `schema`, `table`, `column`, `constraint`, `index`, `view`, `materialized view`, `sequence`,
    /// `function`, `procedure`, `trigger`, `type`, `extension`, `policy`, `rule`, `event trigger`, `comment`.
    public let kind: String
    /// The snapshot name: `public.orders`, `public.orders.orders_pkey`, `public.add(integer, integer)`.
    public let name: String
    public let action: Action

    public init(kind: String, name: String, action: Action) {
        self.kind = kind
        self.name = name
        self.action = action
    }

    /// `created table public.orders`.
    public var description: String { "\(action.rawValue) \(kind) \(name)" }
}
