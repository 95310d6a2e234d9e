import RehearseCore

/// Receives results as checks finish and the whole report at the end.
public protocol Reporter: Sendable {
    /// Called once per check, in the order checks finish (possibly from several threads, one at a time).
    func checkFinished(_ result: CheckResult, suite: String)
    /// Called once, after every suite has run.
    func runFinished(_ report: RunReport) throws
}
