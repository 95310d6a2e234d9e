/// The tables a migration finds and makes, followed statement by statement without a server.
///
/// "Existing" means created by an earlier migration of the history (the subject this one starts from, and so on
/// back), not by the migration being read: a statement that locks a table nobody uses yet is harmless.
struct SchemaState: Sendable {
    /// Tables present before the migration.
    private(set) var existing: Set<TableName> = []
    /// Tables the migration has created so far.
    private(set) var created: Set<TableName> = []
    /// When the migration's start cannot be known, every table it did not create counts as existing.
    private(set) var startUnknown = false
    /// Declared column types, per table, for telling a widening from a rewriting type change.
    private var columns: [TableName: [String: ColumnType]] = [:]
    /// Index name → its table.
    private var indexes: [String: TableName] = [:]
    private var createdIndexes: Set<String> = []
    /// `CHECK (column IS NOT NULL) NOT VALID` constraints not yet validated: table → constraint → column.
    private var pendingNotNullChecks: [TableName: [String: String]] = [:]
    /// Columns with a validated `CHECK (column IS NOT NULL)`, for which `SET NOT NULL` needs no scan.
    private var provenNotNull: [TableName: Set<String>] = [:]

    /// The state a migration starts from: nothing (an empty database) or what an earlier migration left.
    static let empty = SchemaState()

    static func unknown() -> SchemaState {
        var state = SchemaState()
        state.startUnknown = true
        return state
    }

    /// The state after the migration, as the next one starts from it: everything present is existing.
    var asStart: SchemaState {
        var next = self
        next.existing.formUnion(created)
        next.created = []
        next.createdIndexes = []
        return next
    }

    func isExisting(_ table: TableName) -> Bool {
        !created.contains(table) && (existing.contains(table) || startUnknown)
    }

    func isNew(_ table: TableName) -> Bool { created.contains(table) }

    /// True when the migration starts from an empty database: nothing it did not create can be there.
    var startsEmpty: Bool { existing.isEmpty && !startUnknown }

    func columnType(_ table: TableName, _ column: String) -> ColumnType? { columns[table]?[column] }

    /// True when the index was built by this migration (or on a table it created).
    func isNewIndex(_ name: String) -> Bool {
        createdIndexes.contains(name) || indexes[name].map { created.contains($0) } == true
    }

    /// The table an index belongs to, when an earlier statement made it.
    func table(ofIndex name: String) -> TableName? { indexes[name] }

    func hasProvenNotNull(_ table: TableName, _ column: String) -> Bool {
        provenNotNull[table]?.contains(column) == true
    }

    // MARK: - Following the statements

    /// Takes in what `statement` creates, drops, renames or proves.
    mutating func apply(_ statement: LintStatement) {
        let body = statement.body
        switch statement.kind {
        case "CreateStmt":
            guard let table = TableName(rangeVar: body["relation"]) else { return }
            // IF NOT EXISTS on a table already there changes nothing.
            if existing.contains(table) || created.contains(table) { return }
            created.insert(table)
            columns[table] = [:]
            for element in body["tableElts"]?.items ?? [] {
                if let column = element.node("ColumnDef"), let name = column["colname"]?.string {
                    columns[table]?[name] = ColumnType(typeName: column["typeName"])
                }
            }
        case "CreateTableAsStmt":
            guard let table = TableName(rangeVar: body["into"]?["rel"]) else { return }
            if !existing.contains(table) { created.insert(table) }
        case "IndexStmt":
            guard let table = TableName(rangeVar: body["relation"]), let name = body["idxname"]?.string else { return }
            if indexes[name] == nil || !isExisting(table) {
                indexes[name] = table
                createdIndexes.insert(name)
            }
        case "DropStmt":
            let names = (body["objects"]?.items ?? []).map { $0.node("List")?["items"]?.names ?? [] }
            switch body["removeType"]?.string {
            case "OBJECT_TABLE", "OBJECT_MATVIEW":
                for table in names.compactMap(TableName.init(names:)) { remove(table) }
            case "OBJECT_INDEX":
                for name in names.compactMap(\.last) {
                    indexes[name] = nil
                    createdIndexes.remove(name)
                }
            default:
                break
            }
        case "RenameStmt":
            guard let table = TableName(rangeVar: body["relation"]), let newName = body["newname"]?.string else { return }
            switch body["renameType"]?.string {
            case "OBJECT_TABLE":
                let renamed = TableName(schema: table.schema, name: newName)
                let wasNew = created.contains(table)
                let known = columns[table]
                remove(table)
                if wasNew { created.insert(renamed) } else { existing.insert(renamed) }
                columns[renamed] = known
            case "OBJECT_COLUMN":
                if let old = body["subname"]?.string, let type = columns[table]?[old] {
                    columns[table]?[old] = nil
                    columns[table]?[newName] = type
                }
            default:
                break
            }
        case "AlterTableStmt":
            guard let table = TableName(rangeVar: body["relation"]) else { return }
            for command in (body["cmds"]?.items ?? []).compactMap({ $0.node("AlterTableCmd") }) {
                apply(command, to: table)
            }
        default:
            break
        }
    }

    private mutating func apply(_ command: ParseNode, to table: TableName) {
        switch command["subtype"]?.string {
        case "AT_AddColumn":
            if let column = command["def"]?.node("ColumnDef"), let name = column["colname"]?.string,
               columns[table]?[name] == nil {
                columns[table, default: [:]][name] = ColumnType(typeName: column["typeName"])
            }
        case "AT_AlterColumnType":
            if let name = command["name"]?.string, let column = command["def"]?.node("ColumnDef") {
                columns[table, default: [:]][name] = ColumnType(typeName: column["typeName"])
            }
        case "AT_DropColumn":
            if let name = command["name"]?.string { columns[table]?[name] = nil }
        case "AT_AddConstraint":
            guard let constraint = command["def"]?.node("Constraint"), constraint["contype"]?.string == "CONSTR_CHECK",
                  let column = Self.notNullColumn(constraint["raw_expr"]) else { return }
            if constraint["skip_validation"]?.bool == true {
                if let name = constraint["conname"]?.string { pendingNotNullChecks[table, default: [:]][name] = column }
            } else {
                provenNotNull[table, default: []].insert(column)
            }
        case "AT_ValidateConstraint":
            if let name = command["name"]?.string, let column = pendingNotNullChecks[table]?[name] {
                provenNotNull[table, default: []].insert(column)
            }
        default:
            break
        }
    }

    private mutating func remove(_ table: TableName) {
        existing.remove(table)
        created.remove(table)
        columns[table] = nil
        pendingNotNullChecks[table] = nil
        provenNotNull[table] = nil
        for (name, owner) in indexes where owner == table {
            indexes[name] = nil
            createdIndexes.remove(name)
        }
    }

    /// The column of a `column IS NOT NULL` expression.
    static func notNullColumn(_ expression: ParseNode?) -> String? {
        guard let test = expression?.node("NullTest"), test["nulltesttype"]?.string == "IS_NOT_NULL" else { return nil }
        return test["arg"]?.node("ColumnRef")?["fields"]?.names.last
    }
}
