/// An error from one step of a check, with what the check was doing: "the second run failed: …".
struct StepFailure: Error, CustomStringConvertible {
    let context: String
    let underlying: any Error

    var description: String { "\(context): \(underlying)" }

    /// The contexts from the outside in, down to the innermost error.
    var contexts: [String] {
        [context] + ((underlying as? StepFailure)?.contexts ?? [])
    }

    /// The script error at the bottom, whose file and line the failure points at.
    var innermostScriptFailure: ScriptFailure? {
        if let failure = underlying as? ScriptFailure { return failure }
        return (underlying as? StepFailure)?.innermostScriptFailure
    }

    /// Runs `body`, wrapping what it throws in `context`.
    static func during<T>(_ context: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw StepFailure(context: context, underlying: error)
        }
    }
}
