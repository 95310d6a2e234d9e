import RehearseCore

/// Receives results as checks finish and the whole report at the end.
///
/// The orchestrator calls ``checkFinished(_:suite:)`` for every result, possibly from several threads,
/// then ``runFinished(_:)`` once. Implementations must tolerate concurrent `checkFinished` calls.
public protocol Reporter: Sendable {
    /// Called once per check, in the order checks finish. `suite` is ``SuiteReport/name`` (`e-commerce/postgresql`).
    func checkFinished(_ result: CheckResult, suite: String)
    /// Called once, after every suite has run.
    ///
    /// - Throws: ``EnvironmentError`` when the report cannot be written (exit status 2).
    func runFinished(_ report: RunReport) throws
}

/// Sends everything to several reporters in order, e.g. the console, a JUnit file and a JSON file.
///
/// `runFinished` gives every reporter its turn even when one throws, then rethrows the first error.
public struct ReporterGroup: Reporter {
    public let reporters: [any Reporter]

    public init(_ reporters: [any Reporter]) {
        self.reporters = reporters
    }

    public func checkFinished(_ result: CheckResult, suite: String) {
        for reporter in reporters { reporter.checkFinished(result, suite: suite) }
    }

    public func runFinished(_ report: RunReport) throws {
        var firstError: Error?
        for reporter in reporters {
            do {
                try reporter.runFinished(report)
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw firstError }
    }
}
