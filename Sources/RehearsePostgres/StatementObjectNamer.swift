import Foundation
import RehearseCore

/// Names the catalog objects that each statement of a file creates, alters or drops, as
/// ``PostgresCatalogReader`` names them in a snapshot (see `PostgresCatalogReader+Objects.swift`).
///
/// Fed the statements of one file in order: it follows the file's `SET search_path` (and pg_dump's
/// `set_config('search_path', …)`) to know where unqualified names go; `public` until then. Names PostgreSQL
/// generates (`orders_pkey`, `orders_status_idx`, `orders_id_seq`) are derived as the server derives them when
/// nothing of that name exists yet; a name longer than PostgreSQL keeps (63 bytes) is left out rather than
/// guessed, and so is every object the statement alone cannot name (a `%TYPE` argument, a function without its
/// argument list, temporary objects, which the snapshot never reads).
struct StatementObjectNamer {
    /// Where unqualified names are created; nil when the search path names no schema.
    private(set) var schema: String? = "public"

    /// The objects `statement` (the `stmt` of one parsed statement) touches; updates the search path for the
    /// statements after it.
    mutating func objects(of statement: ParseNode) -> [StatementObject] {
        guard let (tag, fields) = statement.node else { return [] }
        switch tag {
        case "VariableSetStmt":
            followSearchPath(fields)
            return []
        case "SelectStmt":
            followSetConfig(fields)
            guard fields["intoClause"].isPresent else { return [] }
            return Self.created("table", Names(schema: schema).relation(fields["intoClause"]["rel"]))
        case "CreateSchemaStmt":
            guard let name = fields["schemaname"].string else { return [] }
            var inner = self
            inner.schema = name
            return [StatementObject(kind: "schema", name: name, action: .created)]
                + fields["schemaElts"].list.flatMap { inner.objects(of: $0) }
        default:
            return Self.objects(tag: tag, fields: fields, schema: schema)
        }
    }

    // MARK: - Search path

    private mutating func followSearchPath(_ fields: ParseNode) {
        guard fields["name"].string == "search_path" else { return }
        switch fields["kind"].string {
        case "VAR_SET_VALUE":
            schema = Self.creationSchema(fields["args"].list.compactMap(\.name))
        case "VAR_SET_DEFAULT", "VAR_RESET":
            schema = "public"
        default:
            break
        }
    }

    /// `SELECT pg_catalog.set_config('search_path', '', false);`, as pg_dump writes it.
    private mutating func followSetConfig(_ fields: ParseNode) {
        for target in fields["targetList"].list {
            guard let call = target.fields("ResTarget")?["val"].fields("FuncCall"),
                call["funcname"].names?.last == "set_config"
            else { continue }
            let arguments = call["args"].list
            guard arguments.count >= 2, arguments[0].name == "search_path", let path = arguments[1].name else { continue }
            let entries = path.split(separator: ",").map { entry in
                let trimmed = entry.trimmingCharacters(in: .whitespaces)
                return trimmed.hasPrefix("\"") && trimmed.hasSuffix("\"") && trimmed.count >= 2
                    ? String(trimmed.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"") : trimmed.lowercased()
            }
            schema = Self.creationSchema(entries)
        }
    }

    /// The first schema of a search path that is not `$user` (whose schema rarely exists).
    private static func creationSchema(_ entries: [String]) -> String? {
        entries.first { $0 != "$user" && !$0.isEmpty }
    }

    // MARK: - Statements

    private static func objects(tag: String, fields: ParseNode, schema: String?) -> [StatementObject] {
        let names = Names(schema: schema)
        switch tag {
        case "CreateStmt":
            return names.createTable(fields)
        case "CreateTableAsStmt":
            let kind = fields["objtype"].string == "OBJECT_MATVIEW" ? "materialized view" : "table"
            return created(kind, names.relation(fields["into"]["rel"]))
        case "ViewStmt":
            return created("view", names.relation(fields["view"]))
        case "AlterTableStmt":
            return names.alterTable(fields)
        case "IndexStmt":
            return names.createIndex(fields)
        case "CreateFunctionStmt":
            let kind = fields["is_procedure"].bool ? "procedure" : "function"
            return created(kind, names.function(fields["funcname"], parameters: fields["parameters"]))
        case "AlterFunctionStmt":
            guard let kind = routineKind(fields["objtype"].string) else { return [] }
            return altered(kind, names.function(ParseNode(["ObjectWithArgs": fields["func"].value as Any])))
        case "CreateTrigStmt":
            return created("trigger", names.member(fields["trigname"].string, of: fields["relation"]))
        case "RuleStmt":
            return created("rule", names.member(fields["rulename"].string, of: fields["relation"]))
        case "CreatePolicyStmt":
            return created("policy", names.member(fields["policy_name"].string, of: fields["table"]))
        case "AlterPolicyStmt":
            return altered("policy", names.member(fields["policy_name"].string, of: fields["table"]))
        case "CreateEventTrigStmt":
            return created("event trigger", fields["trigname"].string)
        case "AlterEventTrigStmt":
            return altered("event trigger", fields["trigname"].string)
        case "CreateEnumStmt", "CreateRangeStmt":
            return created("type", names.qualified(fields["typeName"].names))
        case "CreateDomainStmt":
            return created("type", names.qualified(fields["domainname"].names))
        case "CompositeTypeStmt":
            return created("type", names.relation(fields["typevar"]))
        case "AlterEnumStmt":
            return altered("type", names.qualified(fields["typeName"].names))
        case "AlterDomainStmt":
            return altered("type", names.qualified(fields["typeName"].names))
        case "CreateSeqStmt":
            return created("sequence", names.relation(fields["sequence"]))
        case "AlterSeqStmt":
            return altered("sequence", names.relation(fields["sequence"]))
        case "CreateExtensionStmt":
            // An extension's control file usually gives it a comment.
            return withComments(created("extension", fields["extname"].string))
        case "AlterExtensionStmt", "AlterExtensionContentsStmt":
            return altered("extension", fields["extname"].string)
        case "CommentStmt":
            guard let target = names.target(fields["objtype"].string, fields["object"]) else { return [] }
            let action: StatementObject.Action = fields["comment"].string == nil ? .dropped : .created
            return [StatementObject(kind: "comment", name: "comment on \(target.kind) \(target.name)", action: action)]
        case "DropStmt":
            let type = fields["removeType"].string
            return withComments(fields["objects"].list.compactMap { names.target(type, $0) }.map {
                StatementObject(kind: $0.kind, name: $0.name, action: .dropped)
            })
        case "RenameStmt":
            return withComments(names.rename(fields))
        case "AlterObjectSchemaStmt":
            return withComments(names.moveSchema(fields))
        default:
            return []
        }
    }

    /// The objects, each followed by its comment, which goes (or moves) with it: a dropped object's comment is
    /// dropped, a renamed object's comment is renamed. Whether the object had a comment is not known here; naming
    /// one it did not have matches nothing in a snapshot difference.
    private static func withComments(_ objects: [StatementObject]) -> [StatementObject] {
        objects.flatMap { object -> [StatementObject] in
            guard object.action != .altered else { return [object] }
            return [object, StatementObject(kind: "comment", name: "comment on \(object.kind) \(object.name)", action: object.action)]
        }
    }

    private static func created(_ kind: String, _ name: String?) -> [StatementObject] {
        name.map { [StatementObject(kind: kind, name: $0, action: .created)] } ?? []
    }

    private static func altered(_ kind: String, _ name: String?) -> [StatementObject] {
        name.map { [StatementObject(kind: kind, name: $0, action: .altered)] } ?? []
    }

    /// The snapshot kind of a function-like object type; nil for `ROUTINE`, which may be either.
    static func routineKind(_ objectType: String?) -> String? {
        switch objectType {
        case "OBJECT_FUNCTION": "function"
        case "OBJECT_PROCEDURE": "procedure"
        case "OBJECT_AGGREGATE": "aggregate"
        default: nil
        }
    }
}

/// Name resolution within one statement, given the schema unqualified names go to.
private struct Names {
    let schema: String?

    /// PostgreSQL truncates names to 63 bytes; a generated name that would be truncated is not guessed.
    static let maximumLength = 63

    // MARK: Names

    /// `schema.name` of a `RangeVar`; nil for a temporary relation (never in a snapshot).
    func relation(_ rangeVar: ParseNode) -> String? {
        guard let parts = relationParts(rangeVar) else { return nil }
        return parts.schema + "." + parts.name
    }

    func relationParts(_ rangeVar: ParseNode) -> (schema: String, name: String)? {
        guard let name = rangeVar["relname"].string, rangeVar["relpersistence"].string != "t" else { return nil }
        guard let schema = rangeVar["schemaname"].string ?? schema else { return nil }
        return (schema, name)
    }

    /// `schema.name` of a possibly qualified name (`[name]`, `[schema, name]`, `[database, schema, name]`).
    func qualified(_ names: [String]?) -> String? {
        guard let names, let last = names.last else { return nil }
        guard let schema = names.count >= 2 ? names[names.count - 2] : schema else { return nil }
        return schema + "." + last
    }

    /// `schema.table.name` of a trigger, rule, policy or constraint of the table `rangeVar`.
    func member(_ name: String?, of rangeVar: ParseNode) -> String? {
        guard let name, let table = relation(rangeVar) else { return nil }
        return table + "." + name
    }

    /// `schema.name(argument types)` from an `ObjectWithArgs` node; nil without an argument list.
    func function(_ node: ParseNode) -> String? {
        functionParts(node).map { "\($0.schema).\($0.name)\($0.arguments)" }
    }

    /// The schema, the name and the parenthesised argument types of an `ObjectWithArgs` node.
    func functionParts(_ node: ParseNode) -> (schema: String, name: String, arguments: String)? {
        guard let fields = node.fields("ObjectWithArgs"), !fields["args_unspecified"].bool else { return nil }
        guard let names = fields["objname"].names, let name = names.last, let schema = names.count >= 2 ? names[names.count - 2] : schema
        else { return nil }
        let arguments: String?
        if fields["objfuncargs"].isPresent {
            // With their modes: an argument marked OUT is not part of the catalog's argument types. (A procedure's
            // OUT argument written without its mode cannot be told apart; such a name matches nothing.)
            arguments = argumentTypes(fields["objfuncargs"])
        } else {
            var types: [String] = []
            for argument in fields["objargs"].list {
                guard let typeName = argument.fields("TypeName"), let text = FormattedTypeName.text(of: typeName, schema: self.schema)
                else { return nil }
                types.append(text)
            }
            arguments = "(\(types.joined(separator: ", ")))"
        }
        return arguments.map { (schema, name, $0) }
    }

    /// The name a `CREATE FUNCTION` or `CREATE PROCEDURE` gives.
    func function(_ nameList: ParseNode, parameters: ParseNode) -> String? {
        guard let name = qualified(nameList.names), let arguments = argumentTypes(parameters) else { return nil }
        return name + arguments
    }

    /// `(integer, text)`: the types of the input parameters (IN, INOUT, VARIADIC), as `proargtypes` holds them.
    private func argumentTypes(_ parameters: ParseNode) -> String? {
        var types: [String] = []
        for parameter in parameters.list {
            guard let fields = parameter.fields("FunctionParameter") else { return nil }
            if ["FUNC_PARAM_OUT", "FUNC_PARAM_TABLE"].contains(fields["mode"].string) { continue }
            guard let text = FormattedTypeName.text(of: fields["argType"], schema: schema) else { return nil }
            types.append(text)
        }
        return "(\(types.joined(separator: ", ")))"
    }

    /// The snapshot kind and name of the object a `COMMENT ON` or `DROP` names, in the form its object type takes.
    func target(_ objectType: String?, _ object: ParseNode) -> (kind: String, name: String)? {
        let names = object.names
        func relationKind(_ kind: String) -> (String, String)? { qualified(names).map { (kind, $0) } }
        func memberOfRelation(_ kind: String) -> (String, String)? {
            guard let names, names.count >= 2, let table = qualified(Array(names.dropLast())), let member = names.last else { return nil }
            return (kind, table + "." + member)
        }
        switch objectType {
        case "OBJECT_TABLE": return relationKind("table")
        case "OBJECT_VIEW": return relationKind("view")
        case "OBJECT_MATVIEW": return relationKind("materialized view")
        case "OBJECT_INDEX": return relationKind("index")
        case "OBJECT_SEQUENCE": return relationKind("sequence")
        case "OBJECT_COLUMN": return memberOfRelation("column")
        case "OBJECT_TABCONSTRAINT": return memberOfRelation("constraint")
        case "OBJECT_TRIGGER": return memberOfRelation("trigger")
        case "OBJECT_POLICY": return memberOfRelation("policy")
        case "OBJECT_RULE": return memberOfRelation("rule")
        case "OBJECT_SCHEMA": return object.name.map { ("schema", $0) }
        case "OBJECT_EXTENSION": return object.name.map { ("extension", $0) }
        case "OBJECT_EVENT_TRIGGER": return object.name.map { ("event trigger", $0) }
        case "OBJECT_TYPE", "OBJECT_DOMAIN":
            let typeNames = object.fields("TypeName")?["names"].names ?? names
            return qualified(typeNames).map { ("type", $0) }
        default:
            guard let kind = StatementObjectNamer.routineKind(objectType), let name = function(object) else { return nil }
            return (kind, name)
        }
    }

    // MARK: CREATE TABLE and ALTER TABLE

    func createTable(_ fields: ParseNode) -> [StatementObject] {
        guard let (schema, table) = relationParts(fields["relation"]) else { return [] }
        var objects = [StatementObject(kind: "table", name: "\(schema).\(table)", action: .created)]
        var generated = GeneratedNames(table: table)
        for element in fields["tableElts"].list {
            if let column = element.fields("ColumnDef") {
                objects += columnObjects(column, schema: schema, table: table, generated: &generated)
            } else if let constraint = element.fields("Constraint"), let name = generated.constraintName(constraint, column: nil) {
                objects.append(StatementObject(kind: "constraint", name: "\(schema).\(table).\(name)", action: .created))
            }
        }
        return objects
    }

    /// A new column, the sequence behind a `serial` type and the constraints written on the column.
    private func columnObjects(_ column: ParseNode, schema: String, table: String, generated: inout GeneratedNames) -> [StatementObject] {
        guard let name = column["colname"].string else { return [] }
        var objects = [StatementObject(kind: "column", name: "\(schema).\(table).\(name)", action: .created)]
        if Self.isSerial(column["typeName"]), let sequence = generated.relationName(table, name, "seq") {
            objects.append(StatementObject(kind: "sequence", name: "\(schema).\(sequence)", action: .created))
        }
        for constraint in column["constraints"].list {
            guard let fields = constraint.fields("Constraint"), let constraintName = generated.constraintName(fields, column: name) else { continue }
            objects.append(StatementObject(kind: "constraint", name: "\(schema).\(table).\(constraintName)", action: .created))
        }
        return objects
    }

    private static func isSerial(_ typeName: ParseNode) -> Bool {
        guard let names = typeName["names"].names, let last = names.last, typeName["arrayBounds"].list.isEmpty else { return false }
        guard names.count == 1 || (names.count == 2 && names[0] == "pg_catalog") else { return false }
        return ["smallserial", "serial2", "serial", "serial4", "bigserial", "serial8"].contains(last)
    }

    func alterTable(_ fields: ParseNode) -> [StatementObject] {
        let kind: String
        switch fields["objtype"].string {
        case "OBJECT_TABLE": kind = "table"
        case "OBJECT_INDEX": kind = "index"
        case "OBJECT_VIEW": kind = "view"
        case "OBJECT_MATVIEW": kind = "materialized view"
        case "OBJECT_SEQUENCE": kind = "sequence"
        case "OBJECT_TYPE": kind = "type"
        default: return []
        }
        guard let (schema, table) = relationParts(fields["relation"]) else { return [] }
        let tableName = "\(schema).\(table)"
        guard kind == "table" else { return [StatementObject(kind: kind, name: tableName, action: .altered)] }
        var objects: [StatementObject] = []
        var generated = GeneratedNames(table: table)
        func member(_ kind: String, _ name: String?, _ action: StatementObject.Action) {
            guard let name else { return }
            objects.append(StatementObject(kind: kind, name: "\(tableName).\(name)", action: action))
        }
        for command in fields["cmds"].list {
            guard let command = command.fields("AlterTableCmd") else { continue }
            let name = command["name"].string
            switch command["subtype"].string {
            case "AT_AddColumn":
                guard let column = command["def"].fields("ColumnDef") else { continue }
                objects += columnObjects(column, schema: schema, table: table, generated: &generated)
            case "AT_DropColumn":
                member("column", name, .dropped)
            case "AT_ColumnDefault", "AT_CookedColumnDefault", "AT_DropNotNull", "AT_SetNotNull", "AT_DropExpression",
                "AT_CheckNotNull", "AT_SetStatistics", "AT_SetOptions", "AT_ResetOptions", "AT_SetStorage",
                "AT_SetCompression", "AT_AlterColumnType", "AT_AlterColumnGenericOptions", "AT_AddIdentity",
                "AT_SetIdentity", "AT_DropIdentity":
                member("column", name, .altered)
            case "AT_AddConstraint":
                guard let constraint = command["def"].fields("Constraint") else { continue }
                member("constraint", generated.constraintName(constraint, column: nil), .created)
                // ADD … USING INDEX: the index becomes the constraint's and leaves the snapshot's index list.
                if let index = constraint["indexname"].string {
                    objects.append(StatementObject(kind: "index", name: "\(schema).\(index)", action: .dropped))
                }
            case "AT_DropConstraint":
                member("constraint", name, .dropped)
            case "AT_AlterConstraint":
                member("constraint", command["def"].fields("Constraint")?["conname"].string, .altered)
            case "AT_ValidateConstraint":
                member("constraint", name, .altered)
            case "AT_EnableTrig", "AT_EnableAlwaysTrig", "AT_EnableReplicaTrig", "AT_DisableTrig":
                member("trigger", name, .altered)
            case "AT_EnableRule", "AT_EnableAlwaysRule", "AT_EnableReplicaRule", "AT_DisableRule":
                member("rule", name, .altered)
            case "AT_AttachPartition", "AT_DetachPartition", "AT_DetachPartitionFinalize":
                objects.append(StatementObject(kind: "table", name: tableName, action: .altered))
                if let partition = relation(command["def"].fields("PartitionCmd")?["name"] ?? ParseNode(nil)) {
                    objects.append(StatementObject(kind: "table", name: partition, action: .altered))
                }
            default:
                objects.append(StatementObject(kind: "table", name: tableName, action: .altered))
            }
        }
        var seen = Set<StatementObject>()
        return objects.filter { seen.insert($0).inserted }
    }

    // MARK: CREATE INDEX

    func createIndex(_ fields: ParseNode) -> [StatementObject] {
        guard let (schema, table) = relationParts(fields["relation"]) else { return [] }
        var name = fields["idxname"].string
        if name == nil {
            var generated = GeneratedNames(table: table)
            let elements = (fields["indexParams"].list + fields["indexIncludingParams"].list).compactMap { $0.fields("IndexElem") }
            if let columns = GeneratedNames.indexColumnNames(elements) {
                name = generated.relationName(table, GeneratedNames.addition(columns), "idx")
            }
        }
        return name.map { [StatementObject(kind: "index", name: "\(schema).\($0)", action: .created)] } ?? []
    }

    // MARK: RENAME and SET SCHEMA

    func rename(_ fields: ParseNode) -> [StatementObject] {
        guard let newName = fields["newname"].string else { return [] }
        let renameType = fields["renameType"].string
        let rangeVar = fields["relation"]
        let subname = fields["subname"].string
        func pair(_ kind: String, _ old: String?, _ new: String?) -> [StatementObject] {
            guard let old, let new else { return [] }
            return [StatementObject(kind: kind, name: old, action: .dropped), StatementObject(kind: kind, name: new, action: .created)]
        }
        func renamedRelation(_ kind: String) -> [StatementObject] {
            guard let (schema, name) = relationParts(rangeVar) else { return [] }
            return pair(kind, "\(schema).\(name)", "\(schema).\(newName)")
        }
        func renamedMember(_ kind: String) -> [StatementObject] {
            guard let table = relation(rangeVar), let subname else { return [] }
            return pair(kind, "\(table).\(subname)", "\(table).\(newName)")
        }
        switch renameType {
        case "OBJECT_TABLE": return renamedRelation("table")
        case "OBJECT_VIEW": return renamedRelation("view")
        case "OBJECT_MATVIEW": return renamedRelation("materialized view")
        case "OBJECT_INDEX": return renamedRelation("index")
        case "OBJECT_SEQUENCE": return renamedRelation("sequence")
        case "OBJECT_COLUMN" where fields["relationType"].string == "OBJECT_TABLE": return renamedMember("column")
        case "OBJECT_TABCONSTRAINT": return renamedMember("constraint")
        case "OBJECT_TRIGGER": return renamedMember("trigger")
        case "OBJECT_POLICY": return renamedMember("policy")
        case "OBJECT_RULE": return renamedMember("rule")
        case "OBJECT_SCHEMA": return pair("schema", subname, newName)
        case "OBJECT_EVENT_TRIGGER": return pair("event trigger", subname, newName)
        case "OBJECT_TYPE", "OBJECT_DOMAIN":
            guard let old = qualified(fields["object"].names), let schema = old.split(separator: ".").first else { return [] }
            return pair("type", old, "\(schema).\(newName)")
        case "OBJECT_ATTRIBUTE":
            return relation(rangeVar).map { [StatementObject(kind: "type", name: $0, action: .altered)] } ?? []
        default:
            guard let kind = StatementObjectNamer.routineKind(renameType), let old = functionParts(fields["object"]) else { return [] }
            return pair(kind, "\(old.schema).\(old.name)\(old.arguments)", "\(old.schema).\(newName)\(old.arguments)")
        }
    }

    func moveSchema(_ fields: ParseNode) -> [StatementObject] {
        guard let newSchema = fields["newschema"].string else { return [] }
        let objectType = fields["objectType"].string
        func moved(_ kind: String, _ old: String?, _ name: String?) -> [StatementObject] {
            guard let old, let name else { return [] }
            return [StatementObject(kind: kind, name: old, action: .dropped), StatementObject(kind: kind, name: "\(newSchema).\(name)", action: .created)]
        }
        switch objectType {
        case "OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_SEQUENCE":
            let kind = objectType == "OBJECT_TABLE" ? "table" : objectType == "OBJECT_VIEW" ? "view"
                : objectType == "OBJECT_MATVIEW" ? "materialized view" : "sequence"
            return moved(kind, relation(fields["relation"]), relationParts(fields["relation"])?.name)
        case "OBJECT_TYPE", "OBJECT_DOMAIN":
            let names = fields["object"].names
            return moved("type", qualified(names), names?.last)
        case "OBJECT_EXTENSION":
            return fields["object"].name.map { [StatementObject(kind: "extension", name: $0, action: .altered)] } ?? []
        default:
            guard let kind = StatementObjectNamer.routineKind(objectType), let old = functionParts(fields["object"]) else { return [] }
            return moved(kind, "\(old.schema).\(old.name)\(old.arguments)", old.name + old.arguments)
        }
    }
}

/// The names PostgreSQL chooses for what a statement leaves unnamed (`ChooseRelationName`, `ChooseConstraintName`,
/// `ChooseIndexColumnNames`), assuming no object of that name exists before the statement.
private struct GeneratedNames {
    let table: String
    private var used: Set<String> = []

    init(table: String) {
        self.table = table
    }

    /// `makeObjectName` with a numeric suffix on the label while the name is taken, as `ChooseRelationName` does;
    /// nil when the name would be longer than PostgreSQL keeps.
    mutating func relationName(_ first: String, _ second: String?, _ label: String) -> String? {
        var pass = 0
        while true {
            let suffix = pass == 0 ? label : label + String(pass)
            let name = [first, second, suffix].compactMap { $0 }.joined(separator: "_")
            guard name.utf8.count <= Names.maximumLength else { return nil }
            if used.insert(name).inserted { return name }
            pass += 1
        }
    }

    /// The name of a table constraint: its own, or the one PostgreSQL generates for its kind.
    mutating func constraintName(_ constraint: ParseNode, column: String?) -> String? {
        let given = constraint["conname"].string
        let columns = column.map { [$0] } ?? []
        switch constraint["contype"].string {
        case "CONSTR_PRIMARY":
            if let given { return remember(given) }
            if let index = constraint["indexname"].string { return remember(index) }
            return relationName(table, nil, "pkey")
        case "CONSTR_UNIQUE":
            if let given { return remember(given) }
            if let index = constraint["indexname"].string { return remember(index) }
            let keys = (constraint["keys"].names ?? []).isEmpty ? columns : constraint["keys"].names ?? []
            return relationName(table, Self.addition(Self.numbered(keys + (constraint["including"].names ?? []))), "key")
        case "CONSTR_EXCLUSION":
            if let given { return remember(given) }
            let elements = constraint["exclusions"].list.compactMap { $0.list.first?.fields("IndexElem") }
            guard let names = Self.indexColumnNames(elements) else { return nil }
            return relationName(table, Self.addition(Self.numbered(names + (constraint["including"].names ?? []))), "excl")
        case "CONSTR_FOREIGN":
            if let given { return remember(given) }
            let keys = (constraint["fk_attrs"].names ?? []).isEmpty ? columns : constraint["fk_attrs"].names ?? []
            return relationName(table, Self.addition(keys), "fkey")
        case "CONSTR_CHECK":
            if let given { return remember(given) }
            // PostgreSQL names a check after its column when it reads exactly one column, else after the table.
            let referenced = Set(Self.columnReferences(in: constraint["raw_expr"]))
            return relationName(table, referenced.count == 1 ? referenced.first : nil, "check")
        default:
            return nil
        }
    }

    private mutating func remember(_ name: String) -> String {
        used.insert(name)
        return name
    }

    /// `ChooseIndexNameAddition`: the column names joined with `_`.
    static func addition(_ columns: [String]) -> String? {
        columns.isEmpty ? nil : columns.joined(separator: "_")
    }

    /// `ChooseIndexColumnNames`: each column's name, `expr` (or the function's name) for an expression, with a
    /// number added to repeats; nil when an expression is one whose name this does not know.
    static func indexColumnNames(_ elements: [ParseNode]) -> [String]? {
        var names: [String] = []
        for element in elements {
            guard let name = element["indexcolname"].string ?? element["name"].string ?? expressionName(element["expr"])
            else { return nil }
            names.append(name)
        }
        return numbered(names)
    }

    /// A name that repeats an earlier one gets a number, as `ChooseIndexColumnNames` makes them distinct.
    static func numbered(_ names: [String]) -> [String] {
        var result: [String] = []
        for original in names {
            var name = original
            var pass = 1
            while result.contains(name) {
                name = original + String(pass)
                pass += 1
            }
            result.append(name)
        }
        return result
    }

    /// The name `FigureIndexColname` gives an index expression: a column's or function's name, `expr` otherwise.
    private static func expressionName(_ expression: ParseNode) -> String? {
        guard let figured = figure(expression) else { return nil }
        return figured.name ?? "expr"
    }

    /// `FigureColnameInternal` for the expressions it knows: a name and how strongly it holds; nil when unknown.
    private static func figure(_ expression: ParseNode) -> (name: String?, strength: Int)? {
        guard let (tag, fields) = expression.node else { return nil }
        switch tag {
        case "ColumnRef":
            guard let last = fields["fields"].list.last else { return nil }
            return (last.name, last.name == nil ? 0 : 2)
        case "FuncCall":
            return fields["funcname"].names?.last.map { ($0, 2) }
        case "A_Expr":
            return fields["kind"].string == "AEXPR_NULLIF" ? ("nullif", 2) : (nil, 0)
        case "TypeCast":
            guard let inner = figure(fields["arg"]) else { return nil }
            if inner.strength > 1 { return inner }
            return fields["typeName"]["names"].names?.last.map { ($0, 1) }
        case "CollateClause":
            return figure(fields["arg"])
        case "CoalesceExpr":
            return ("coalesce", 2)
        case "MinMaxExpr":
            return (fields["op"].string == "IS_GREATEST" ? "greatest" : "least", 2)
        case "A_Const", "BoolExpr", "NullTest", "BooleanTest", "ParamRef":
            return (nil, 0)
        default:
            return nil
        }
    }

    /// The column names an expression reads (the last part of every column reference).
    static func columnReferences(in node: ParseNode) -> [String] {
        if let reference = node.fields("ColumnRef") {
            return reference["fields"].list.last?.name.map { [$0] } ?? []
        }
        if let object = node.value as? [String: Any] { return object.values.flatMap { columnReferences(in: ParseNode($0)) } }
        if let array = node.value as? [Any] { return array.flatMap { columnReferences(in: ParseNode($0)) } }
        return []
    }

}
