/// The migration repository or an option cannot be used as given.
///
/// The CLI turns this into exit status 2. `file` is shown as given (relative to the
/// repository root where the loader knows it).
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String?
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(file: String? = nil, line: Int? = nil, column: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        guard let file else { return message }
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return "\(location): \(message)"
    }
}

/// The machine cannot run a rehearsal: a program is missing or a server would not start.
///
/// The CLI turns this into exit status 2; `message` says what to install or fix.
public struct EnvironmentError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
