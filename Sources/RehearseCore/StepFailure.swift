/// An error from one step of a check, with what the check was doing: "the second run failed: …".
struct StepFailure: Error, CustomStringConvertible {
    let context: String
    let underlying: Error

    var description: String { "\(context): \(underlying)" }

    /// Runs `body`, wrapping what it throws in `context`.
    static func during<T>(_ context: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw StepFailure(context: context, underlying: error)
        }
    }
}
