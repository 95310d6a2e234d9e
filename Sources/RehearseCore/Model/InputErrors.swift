/// Several input errors of one run, reported together (DESIGN.md: "all input errors of a run are reported together").
public struct InputErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [InputError]

    public init(_ errors: [InputError]) {
        self.errors = errors
    }

    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }

    /// Throws `errors` as one error (the error itself when there is one), or does nothing when there are none.
    public static func throwIfAny(_ errors: [InputError]) throws {
        if errors.count == 1 { throw errors[0] }
        if errors.count > 1 { throw InputErrors(errors) }
    }
}
