import Foundation

/// What earlier statements of a file left in the session and in their transaction, for the rules that care:
/// `lock_timeout`, and enum values added but not yet committed.
struct SessionSettings: Sendable {
    private var lockTimeout = false
    /// The transaction a `SET LOCAL lock_timeout` holds for.
    private var localLockTimeout: Int?
    /// Enum values added per transaction: value → type.
    private var enumValues: [Int: [String: String]] = [:]
    /// Objects dropped with `IF EXISTS` earlier in the file (by their last name), so that creating them again is
    /// safe to re-run.
    private(set) var droppedIfExists: Set<String> = []

    func lockTimeoutSet(in transaction: Int) -> Bool {
        lockTimeout || localLockTimeout == transaction
    }

    func newEnumValues(in transaction: Int) -> [String: String] {
        enumValues[transaction] ?? [:]
    }

    mutating func apply(_ statement: LintStatement, transaction: Int) {
        let body = statement.body
        switch statement.kind {
        case "VariableSetStmt":
            let kind = body["kind"]?.string
            if kind == "VAR_RESET_ALL" {
                setLockTimeout(false, local: false, transaction: transaction)
                return
            }
            guard body["name"]?.string == "lock_timeout" else { return }
            let enabled = kind == "VAR_SET_VALUE" && !Self.isZero(body["args"]?.items.first)
            setLockTimeout(enabled, local: body["is_local"]?.bool == true, transaction: transaction)
        case "DropStmt" where body["missing_ok"]?.bool == true:
            droppedIfExists.formUnion(statement.droppedNames.compactMap(\.last))
        case "AlterTableStmt":
            for (_, command) in statement.commands("AT_DropConstraint") where command["missing_ok"]?.bool == true {
                if let name = command["name"]?.string { droppedIfExists.insert(name) }
            }
        case "AlterEnumStmt":
            if let value = body["newVal"]?.string, body["oldVal"] == nil {
                enumValues[transaction, default: [:]][value] = body["typeName"]?.names.last ?? "the enum"
            }
        default:
            // SELECT set_config('lock_timeout', '5s', is_local)
            for call in statement.node.all("FuncCall") where call["funcname"]?.names.last == "set_config" {
                let arguments = call["args"]?.items ?? []
                guard arguments.count == 3, arguments[0].constantString == "lock_timeout" else { continue }
                let local = arguments[2].node("A_Const")?["boolval"]?["boolval"]?.bool == true
                setLockTimeout(!Self.isZero(arguments[1]), local: local, transaction: transaction)
            }
        }
    }

    private mutating func setLockTimeout(_ enabled: Bool, local: Bool, transaction: Int) {
        if local {
            localLockTimeout = enabled ? transaction : nil
        } else {
            lockTimeout = enabled
            if !enabled { localLockTimeout = nil }
        }
    }

    /// `0`, `'0'`, `'0s'`, `'0ms'`: a timeout of zero switches it off.
    private static func isZero(_ value: ParseNode?) -> Bool {
        guard let value else { return true }
        if let number = value.constantInt { return number == 0 }
        guard let text = value.constantString?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
        let digits = text.prefix { $0.isNumber || $0 == "." }
        return !digits.isEmpty && Double(digits) == 0
    }
}
