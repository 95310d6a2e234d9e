import Foundation
import RehearseCore

/// The files of a git work tree that differ from a revision, for `--changed-since`: `git diff --name-only REF`
/// (the work tree, staged or not, against REF; a rename counts as its old and its new path) plus the untracked
/// files git does not ignore (`git ls-files --others --exclude-standard`).
struct GitChanges {
    static let flag = "--changed-since"

    /// Absolute paths of the changed files, spelled below `folder` as `folder` is spelled (not through the
    /// symbolic links git resolves), so that they compare equal to the repository's ``ScriptFile`` URLs.
    ///
    /// - Throws: ``InputError`` naming `--changed-since` when `folder` is not in a git work tree or git does not
    ///   know `reference`; ``EnvironmentError`` when git is not installed or fails otherwise.
    static func changedPaths(since reference: String, around folder: URL, shownAs display: String) throws -> [String] {
        guard !reference.isEmpty, !reference.hasPrefix("-") else {
            throw InputError(file: flag, "`\(reference)` is not a git revision")
        }
        let git = try locateGit()
        let top = try run(git, ["-C", folder.path, "rev-parse", "--show-toplevel"])
        guard top.succeeded, let realTop = top.output.split(separator: "\n").last.map(String.init) else {
            throw InputError(file: flag, "\(display) is not inside a git work tree (\(firstLine(top.output)))")
        }
        let commit = try run(git, ["-C", realTop, "rev-parse", "--verify", "--quiet", reference + "^{commit}"])
        guard commit.succeeded, let hash = commit.output.split(separator: "\n").last.map(String.init) else {
            throw InputError(
                file: flag,
                "git does not know `\(reference)` in \(realTop); name a branch, tag or commit it has (a shallow CI clone may need `git fetch` of it first)"
            )
        }
        // `--output` keeps git's warnings (line endings, …) out of the list, which the captured output mixes in.
        let scratch = try TemporaryDirectory(prefix: "rehearse-git-")
        defer { scratch.remove() }
        let listing = scratch.url.appendingPathComponent("diff")
        let diff = try run(git, ["-C", realTop, "diff", "--name-only", "--no-renames", "-z", "--output=\(listing.path)", hash, "--"])
        guard diff.succeeded else {
            throw EnvironmentError("git diff \(reference) failed in \(realTop): \(firstLine(diff.output))")
        }
        let untracked = try run(git, ["-C", realTop, "ls-files", "--others", "--exclude-standard", "-z"])
        guard untracked.succeeded else {
            throw EnvironmentError("git ls-files failed in \(realTop): \(firstLine(untracked.output))")
        }
        let differing = (try? String(contentsOf: listing, encoding: .utf8)) ?? ""
        let base = spelling(of: realTop, below: folder)
        return (entries(differing) + entries(untracked.output)).map { base.appendingPathComponent($0).path }
    }

    /// NUL-separated paths.
    private static func entries(_ text: String) -> [String] {
        text.split(separator: "\0").map(String.init).filter { !$0.isEmpty }
    }

    /// The ancestor of `folder` that is `realTop` once symbolic links are resolved, else `realTop` itself.
    private static func spelling(of realTop: String, below folder: URL) -> URL {
        let target = URL(fileURLWithPath: realTop).resolvingSymlinksInPath().path
        var candidate = folder.standardizedFileURL
        while true {
            if candidate.resolvingSymlinksInPath().path == target { return candidate }
            let parent = candidate.deletingLastPathComponent()
            if parent.path == candidate.path { return URL(fileURLWithPath: realTop) }
            candidate = parent
        }
    }

    private static func locateGit() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("git")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw EnvironmentError("\(flag) needs git, and there is no git on PATH; install git")
    }

    private static func run(_ git: URL, _ arguments: [String]) throws -> ExternalCommand.Outcome {
        // Only what Rehearse asks for: no pager, no prompt, and the user's GIT_DIR cannot point elsewhere.
        try ExternalCommand(
            executable: git, arguments: arguments, environment: ["GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"],
            droppedVariablePrefixes: ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR"], timeout: 60
        ).run()
    }

    private static func firstLine(_ text: String) -> String {
        text.split(separator: "\n").first.map(String.init) ?? "no output"
    }
}
