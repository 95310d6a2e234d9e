import Foundation

/// What `--changed-since` rehearses, decided from the files that differ (DESIGN.md, "Command line").
///
/// Pure: the caller asks git which files differ; this maps them onto subjects. A subject changed when one of
/// its files (forward, undo, validators, fixtures, baseline, a file loaded after it, or a sidecar such as
/// Flyway's `<file>.conf`) differs, or when anything under its folder or at its expected undo location was
/// added or deleted. In a chain the first changed step and every later step are rehearsed, the earlier steps
/// applied forward only; in the primary layout the changed subjects and every subject that starts from or
/// compares with one of them (transitively) are rehearsed, and what they start from is applied forward only.
/// A changed `project-config.yaml` or `rehearse.yaml` at or above a suite's folder rehearses the whole suite.
public struct ChangeSelection: Sendable, Equatable {
    /// File names whose change rehearses every subject below them: they change how each subject is read or run.
    public static let configurationFiles: Set<String> = ["project-config.yaml", "rehearse.yaml"]

    /// Absolute, standardized paths of every file that differs: modified, added, deleted or untracked.
    public let changedPaths: Set<String>
    /// The folder the suites were read from, and how messages show it, to place a subject's folder on disk.
    public let root: URL
    public let rootDisplay: String

    public init(changedPaths: some Sequence<String>, root: URL, rootDisplay: String) {
        self.changedPaths = Set(changedPaths.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
        self.root = root.standardizedFileURL
        self.rootDisplay = rootDisplay
    }

    /// The part of `suite` to rehearse; no subjects at all when nothing of it changed (its policy still runs).
    public func select(_ suite: RehearsalSuite) -> RehearsalSuite {
        if configurationChanged(for: suite) { return suite }
        let changed = Set(suite.subjects.filter(isChanged).map(\.id))
        guard let first = suite.subjects.firstIndex(where: { changed.contains($0.id) }) else {
            var unchanged = suite
            unchanged.subjects = []
            return unchanged
        }
        let selected = suite.isChain ? Set(suite.subjects[first...].map(\.id)) : suite.dependents(of: changed)
        return suite.keeping(selected)
    }

    /// Whether a configuration file at or above the suite's folder differs.
    public func configurationChanged(for suite: RehearsalSuite) -> Bool {
        let folder = location(ofDisplayPath: suite.displayPath)
        return changedPaths.contains { path in
            let url = URL(fileURLWithPath: path)
            guard Self.configurationFiles.contains(url.lastPathComponent) else { return false }
            // A suite that cannot be placed on disk is rehearsed whole: selecting too much is safe.
            guard let folder else { return true }
            return Self.isWithin(folder, url.deletingLastPathComponent().path)
        }
    }

    /// Whether any file of `subject`, or anything in its folder or at its undo location, differs.
    public func isChanged(_ subject: RehearsalSubject) -> Bool {
        let files = subject.allFiles.map { $0.url.standardizedFileURL.path }
        let places = [subject.folder, subject.undoLocation].compactMap { $0.flatMap(location(ofDisplayPath:)) }
        return changedPaths.contains { path in
            files.contains { path == $0 || path.hasPrefix($0 + ".") } || places.contains { Self.isWithin(path, $0) }
        }
    }

    /// The absolute path of a repository path as messages show it (`sample-migrations/projects/shop`), or nil
    /// when it does not lie below the root.
    func location(ofDisplayPath display: String) -> String? {
        if display == rootDisplay { return root.path }
        let prefix = rootDisplay == "." ? "" : rootDisplay + "/"
        guard display.hasPrefix(prefix), display.count > prefix.count else { return nil }
        return root.appendingPathComponent(String(display.dropFirst(prefix.count))).standardizedFileURL.path
    }

    /// Whether `path` is `folder` or lies below it.
    static func isWithin(_ path: String, _ folder: String) -> Bool {
        path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }
}
