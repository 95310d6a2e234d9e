import Foundation
import RehearseCore

/// One failing check, or one input or environment error, as a test framework records it: a readable text and
/// the file and line to jump to.
///
/// RehearseTesting turns these into Swift Testing issues and XCTest failures; other frameworks can do the same.
/// The text names the suite, the check, the file and line, and holds the diff or the server error.
public struct RehearsalIssue: Sendable, Equatable, CustomStringConvertible {
    public var text: String
    /// The absolute path of the file to open, when the failure names a regular file; nil for a folder, an option
    /// or nothing (the issue then belongs at the test's own line).
    public var filePath: String?
    /// 1-based; 1 when the failure names a file but no line.
    public var line: Int
    /// 1-based; 1 when unknown.
    public var column: Int
    /// The file as messages name it (`sample-migrations/projects/…/V1.1.0.010__x.sql`), for a short source identity.
    public var displayPath: String?

    public init(text: String, filePath: String? = nil, line: Int = 1, column: Int = 1, displayPath: String? = nil) {
        self.text = text
        self.filePath = filePath
        self.line = max(1, line)
        self.column = max(1, column)
        self.displayPath = displayPath
    }

    public var description: String { text }

    /// One issue per failed check of `report`, in report order, then one per error it carries.
    ///
    /// - Parameter repository: resolves the files failures name; without it they are taken from the working directory.
    public static func issues(in report: RunReport, repository: LoadedRepository? = nil) -> [RehearsalIssue] {
        var issues: [RehearsalIssue] = []
        for suite in report.suites {
            for result in suite.results {
                guard let failure = result.failure else { continue }
                var lines = ["\(result.name) failed in \(suite.name)", failure.message]
                if let location = failure.location, !failure.message.contains(location) { lines.append("at \(location)") }
                if let code = failure.code, !failure.message.contains(code) { lines.append(code) }
                let details = failure.additionalDetails
                if !details.isEmpty { lines += ["", details] }
                issues.append(issue(
                    text: lines.joined(separator: "\n"), file: failure.file, line: failure.line, column: failure.column,
                    repository: repository
                ))
            }
        }
        for error in report.errors {
            issues.append(issue(error, repository: repository))
        }
        return issues
    }

    /// One issue per error `error` stands for (``InputError``, ``InputErrors``, ``EnvironmentError``); nil for others.
    public static func issues(for error: any Error, repository: LoadedRepository? = nil) -> [RehearsalIssue]? {
        RunError.errors(from: error)?.map { issue($0, repository: repository) }
    }

    private static func issue(_ error: RunError, repository: LoadedRepository?) -> RehearsalIssue {
        let heading = error.kind == .input ? "the migration repository cannot be rehearsed" : "Rehearse cannot run here"
        return issue(
            text: heading + "\n" + error.description, file: error.file, line: error.line, column: error.column, repository: repository
        )
    }

    private static func issue(text: String, file: String?, line: Int?, column: Int?, repository: LoadedRepository?) -> RehearsalIssue {
        guard let file, !file.hasPrefix("-") else { return RehearsalIssue(text: text) }
        let url = repository?.url(forDisplayPath: file) ?? URL(fileURLWithPath: file).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return RehearsalIssue(text: text, displayPath: file)
        }
        return RehearsalIssue(text: text, filePath: url.path, line: line ?? 1, column: column ?? 1, displayPath: file)
    }
}
