import Foundation
import RehearseCore

/// Reads MongoDB script files: an Extended JSON array of database commands (forward, undo, fixtures), or of
/// `{"command": {…}, "expect": {…}}` pairs (validators), or a migrate-mongo JavaScript migration.
///
/// A JavaScript file (``ScriptFile/entry`` set) is only checked with `node --check`, which runs nothing; its
/// prepared script has no statements, and ``MongoDatabase/apply(_:)`` runs it under Node.js.
///
/// Each element becomes one ``ScriptStatement`` whose `text` is the command's JSON and whose line and column are
/// where the element starts. Every command is checked with libbson as well, so Extended JSON that is valid JSON
/// but not valid BSON (`{"$oid": "xyz"}`) is an input error before any server starts.
public struct MongoScriptParser: ScriptParser {
    private let environment: [String: String]

    /// - Parameter environment: where `REHEARSE_NODE` and `PATH` are read to find Node.js.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// - Throws: ``InputError`` for a file that does not parse (JavaScript: with Node's line, column and message);
    ///   ``EnvironmentError`` for a JavaScript file when Node.js is not installed.
    public func prepare(_ file: ScriptFile) throws -> PreparedScript {
        if file.entry != nil {
            try NodeProgram.find(environment: environment).checkSyntax(of: file.url, displayPath: file.displayPath)
            return PreparedScript(file: file, statements: [])
        }
        if ["js", "mjs", "cjs"].contains(file.url.pathExtension.lowercased()) {
            throw InputError(
                file: file.displayPath,
                "a JavaScript file is a migration only in a forward or rollback folder (or a migrate-mongo migrations folder); validators and fixtures are Extended JSON (.json)"
            )
        }
        let data: Data
        do {
            data = try Data(contentsOf: file.url)
        } catch {
            throw InputError(file: file.displayPath, "cannot read the file: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: file.displayPath, "the file is not UTF-8 text")
        }
        return PreparedScript(file: file, statements: try statements(in: text, file: file.displayPath, validator: file.role == .validator))
    }

    /// Splits `text` into statements; `file` is only used in error messages.
    ///
    /// - Throws: ``InputError`` with the file, line and column.
    public func statements(in text: String, file: String, validator: Bool) throws -> [ScriptStatement] {
        var scanner = ExtendedJSONScanner(text: text, file: file)
        let expectation = validator
            ? #"a JSON array of {"command": {…}, "expect": {…}} objects"#
            : #"a JSON array of database commands, e.g. [{"create": "orders"}]"#
        let elements = try scanner.parseTopLevelArray(expectation: expectation)
        return try elements.enumerated().map { index, element in
            validator
                ? try validatorStatement(element, index: index + 1, file: file)
                : try commandStatement(element, index: index + 1, file: file)
        }
    }

    private func commandStatement(_ element: ExtendedJSONScanner.Located, index: Int, file: String) throws -> ScriptStatement {
        try checkCommand(element.value, json: element.text, index: index, at: element, file: file, what: "command")
        return ScriptStatement(text: element.text, line: element.line, column: element.column)
    }

    private func validatorStatement(_ element: ExtendedJSONScanner.Located, index: Int, file: String) throws -> ScriptStatement {
        guard let members = element.value.members else {
            throw InputError(file: file, line: element.line, column: element.column,
                             #"element \#(index) must be an object {"command": {…}, "expect": {…}}, not \#(Self.describe(element.value))"#)
        }
        if let unknown = members.first(where: { $0.key != "command" && $0.key != "expect" }) {
            throw InputError(file: file, line: element.line, column: element.column,
                             #"element \#(index) has an unknown key "\#(unknown.key)"; a validator is {"command": {…}, "expect": {…}}"#)
        }
        guard let command = element.value["command"] else {
            throw InputError(file: file, line: element.line, column: element.column, #"element \#(index) has no "command""#)
        }
        guard let expect = element.value["expect"] else {
            throw InputError(file: file, line: element.line, column: element.column,
                             #"element \#(index) has no "expect": write the part of the reply that must match, e.g. {"ok": 1}"#)
        }
        try checkCommand(command, json: command.jsonText, index: index, at: element, file: file, what: "\"command\"")
        guard expect.members != nil else {
            throw InputError(file: file, line: element.line, column: element.column,
                             #"the "expect" of element \#(index) must be an object (a subset of the reply), not \#(Self.describe(expect))"#)
        }
        if let problem = BSONDocument.validationError(json: expect.jsonText) {
            throw InputError(file: file, line: element.line, column: element.column, "the \"expect\" of element \(index) is not valid Extended JSON: \(problem)")
        }
        return ScriptStatement(text: command.jsonText, line: element.line, column: element.column, expectation: expect.jsonText)
    }

    private func checkCommand(_ value: JSONValue, json: String, index: Int, at element: ExtendedJSONScanner.Located, file: String, what: String) throws {
        guard let members = value.members else {
            throw InputError(file: file, line: element.line, column: element.column,
                             "the \(what) of element \(index) must be a command document (an object), not \(Self.describe(value))")
        }
        guard let first = members.first else {
            throw InputError(file: file, line: element.line, column: element.column, "element \(index) is an empty document; a command starts with its name, e.g. {\"create\": \"orders\"}")
        }
        if first.key.hasPrefix("$") {
            throw InputError(file: file, line: element.line, column: element.column,
                             "the \(what) of element \(index) starts with \"\(first.key)\"; a command document starts with the command's name, e.g. {\"insert\": \"orders\", \"documents\": […]}")
        }
        if let problem = BSONDocument.validationError(json: json) {
            throw InputError(file: file, line: element.line, column: element.column, "element \(index) is not valid Extended JSON: \(problem)")
        }
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}
