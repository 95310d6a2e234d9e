import Foundation
import RehearseCore

/// Running less: `--changed-since` and `--shard` narrow the selected suites before anything runs.
extension Rehearsal {
    /// True when no subject is rehearsed (nothing changed, or an empty shard): only policy checks run.
    public var rehearsesNothing: Bool {
        !plan.suites.contains { $0.subjects.contains(where: \.subject.rehearsed) }
    }

    /// The suites narrowed to what differs from git `reference` (``ChangeSelection``); unchanged when nil.
    ///
    /// - Throws: ``InputError`` naming `--changed-since` when git does not know the revision or the repository
    ///   is not in a git work tree; ``EnvironmentError`` when git is missing.
    static func changed(_ suites: [RehearsalSuite], since reference: String?, in repository: LoadedRepository) throws -> [RehearsalSuite] {
        guard let reference else { return suites }
        let paths = try GitChanges.changedPaths(since: reference, around: repository.root, shownAs: repository.displayPath)
        let selection = ChangeSelection(changedPaths: paths, root: repository.root, rootDisplay: repository.displayPath)
        return suites.map(selection.select)
    }

    /// The plan of `repository`, cut to `shard` when there is one: the whole run is planned first, so that
    /// every shard splits the same subjects by the same weights.
    static func plan(_ repository: LoadedRepository, scripts: PreparedScripts, options: RehearsalOptions, shard: Sharding?) -> RehearsalPlan {
        let whole = RehearsalPlan(repository: repository, scripts: scripts, options: options)
        guard let shard else { return whole }
        var part = repository
        part.suites = shard.suites(of: whole)
        return RehearsalPlan(repository: part, scripts: scripts, options: options)
    }
}
