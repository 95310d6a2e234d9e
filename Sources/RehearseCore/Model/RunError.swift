/// Why a run could not rehearse at all, as a value the reports carry (DESIGN.md, "Reports": an input or
/// environment error still writes every requested report, one `<error>` test case per error).
public struct RunError: Sendable, Equatable, Codable, CustomStringConvertible {
    /// `input`: the repository or an option is wrong (a file to fix); `environment`: the machine is (a program
    /// to install, a server that does not start). Both exit 2.
    public enum Kind: String, Sendable, Codable {
        case input
        case environment
    }

    public var kind: Kind
    /// The file (or option, such as `--from`) the error names; nil for most environment errors.
    public var file: String?
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(kind: Kind, file: String? = nil, line: Int? = nil, column: Int? = nil, message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public init(_ error: InputError) {
        self.init(kind: .input, file: error.file, line: error.line, column: error.column, message: error.message)
    }

    public init(_ error: EnvironmentError) {
        self.init(kind: .environment, message: error.message)
    }

    /// The errors `error` stands for, when it is an ``InputError``, ``InputErrors`` or ``EnvironmentError``;
    /// nil for anything else (a programming error or a cancellation is not reported this way).
    public static func errors(from error: any Error) -> [RunError]? {
        switch error {
        case let error as InputError: [RunError(error)]
        case let errors as InputErrors: errors.errors.map(RunError.init)
        case let error as EnvironmentError: [RunError(error)]
        default: nil
        }
    }

    /// `file:line:column`, as far as known.
    public var location: String? {
        guard let file else { return nil }
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        return text
    }

    /// `file:line:column: message`, or the message alone.
    public var description: String {
        location.map { "\($0): \(message)" } ?? message
    }
}
