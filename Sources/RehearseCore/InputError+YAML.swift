import Yams

extension InputError {
    /// The one mapping of a Yams error onto an input error naming the file, the line and column, and the problem.
    init(yaml error: YamlError, file: String) {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            self.init(file: file, line: mark.line, column: mark.column, "malformed YAML: \(prefix)\(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            self.init(file: file, line: context.mark.line, "malformed YAML: duplicated keys \(duplicates.joined(separator: ", "))")
        default:
            self.init(file: file, "malformed YAML: \(error)")
        }
    }
}
