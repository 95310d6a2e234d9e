/// The parts of statements that several rules read.
extension LintStatement {
    /// `ALTER TABLE t …`: the table and its commands (`AlterTableCmd` bodies).
    var alterTable: (table: TableName, commands: [ParseNode])? {
        guard let body = node.node("AlterTableStmt"), (body["objtype"]?.string ?? "OBJECT_TABLE") == "OBJECT_TABLE",
              let table = TableName(rangeVar: body["relation"]) else { return nil }
        return (table, (body["cmds"]?.items ?? []).compactMap { $0.node("AlterTableCmd") })
    }

    /// The `ALTER TABLE` commands of one subtype (`AT_SetNotNull`).
    func commands(_ subtype: String) -> [(table: TableName, command: ParseNode)] {
        guard let alter = alterTable else { return [] }
        return alter.commands.filter { $0["subtype"]?.string == subtype }.map { (alter.table, $0) }
    }

    /// `ADD COLUMN` definitions: the table and the `ColumnDef` body.
    var addedColumns: [(table: TableName, column: ParseNode)] {
        commands("AT_AddColumn").compactMap { entry in entry.command["def"]?.node("ColumnDef").map { (entry.table, $0) } }
    }

    /// Every column this statement declares a type for: `CREATE TABLE` columns, `ADD COLUMN`, `ALTER COLUMN … TYPE`.
    var declaredColumns: [(table: TableName, column: String, type: ColumnType, location: Int?)] {
        var result: [(TableName, String, ColumnType, Int?)] = []
        if let create = node.node("CreateStmt"), let table = TableName(rangeVar: create["relation"]) {
            for element in create["tableElts"]?.items ?? [] {
                guard let column = element.node("ColumnDef"), let name = column["colname"]?.string,
                      let type = ColumnType(typeName: column["typeName"]) else { continue }
                result.append((table, name, type, column["typeName"]?.location ?? column.location))
            }
        }
        for (table, column) in addedColumns {
            guard let name = column["colname"]?.string, let type = ColumnType(typeName: column["typeName"]) else { continue }
            result.append((table, name, type, column["typeName"]?.location ?? column.location))
        }
        for (table, command) in commands("AT_AlterColumnType") {
            guard let name = command["name"]?.string, let column = command["def"]?.node("ColumnDef"),
                  let type = ColumnType(typeName: column["typeName"]) else { continue }
            result.append((table, name, type, column["typeName"]?.location ?? column.location))
        }
        return result
    }

    /// The constraints a column definition carries (`Constraint` bodies).
    static func constraints(of column: ParseNode) -> [ParseNode] {
        (column["constraints"]?.items ?? []).compactMap { $0.node("Constraint") }
    }

    /// Every `ADD CONSTRAINT` and every constraint on an added column, with the table it goes on.
    var addedConstraints: [(table: TableName, constraint: ParseNode)] {
        var result = commands("AT_AddConstraint").compactMap { entry in
            entry.command["def"]?.node("Constraint").map { (entry.table, $0) }
        }
        for (table, column) in addedColumns {
            result += Self.constraints(of: column).map { (table, $0) }
        }
        return result
    }

    /// The names of a `DROP` statement's objects (`DROP INDEX a, s.b` → `[["a"], ["s", "b"]]`).
    var droppedNames: [[String]] {
        (body["objects"]?.items ?? []).map { object in
            if let list = object.node("List") { return list["items"]?.names ?? [] }
            if let name = object.node("String")?["sval"]?.string { return [name] }
            return []
        }
    }

    /// The string constants anywhere in the statement.
    var stringConstants: [(value: String, location: Int?)] {
        node.descendants.compactMap { candidate in
            guard let value = candidate.constantString else { return nil }
            return (value, candidate.node("A_Const")?.location)
        }
    }

    /// `REINDEX (CONCURRENTLY)`, `VACUUM (FULL)`: whether an option list holds `name`.
    func hasOption(_ name: String, in field: String = "params") -> Bool {
        (body[field]?.items ?? []).contains { $0.node("DefElem")?["defname"]?.string == name }
    }
}
