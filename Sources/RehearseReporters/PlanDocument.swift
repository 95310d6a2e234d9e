import Foundation
import RehearseCore

/// `rehearse list --json`: the plan as data, version 1, for building a CI matrix or reviewing what a run will do
/// without starting a server. Field names are stable; new fields may be added, none renamed.
///
/// ```json
/// {
///   "formatVersion": 1, "rehearseVersion": "0.1.0", "path": "sample-migrations", "layout": "primary",
///   "changedSince": null, "shard": {"index": 1, "count": 3}, "checkCount": 37,
///   "suites": [{
///     "name": "e-commerce/postgresql", "project": "e-commerce", "database": "postgresql", "layout": "primary",
///     "displayPath": "sample-migrations/projects/e-commerce", "chain": false, "checkCount": 37,
///     "policy": {"name": "project: policy", "check": "policy", "status": "skip", "reason": "no policies …"},
///     "subjects": [{
///       "id": "upgrade v1.0.0 -> v1.1.0", "folder": "…/upgrade/from-v1.0.0/postgresql",
///       "start": {"kind": "subject", "subject": "install v1.0.0", "reason": null}, "rehearsed": true,
///       "forward": [{"path": "…/V1.1.0.001__x.sql", "execution": "autocommit", "entry": null}],
///       "undo": […], "undoMissing": null, "validators": […],
///       "checks": [{"name": "upgrade v1.0.0 -> v1.1.0: forward", "check": "forward", "status": "run", "reason": null}]
///     }]
///   }]
/// }
/// ```
/// `start.kind` is `empty`, `subject` (the forward result of `start.subject`) or `unavailable` (`start.reason`
/// says why; every check is then skipped). `rehearsed` is false for a subject that is only applied forward
/// (before `--from`, before the first changed step, before a shard's range): it has no checks. A check's
/// `status` is `run` or `skip` (with `reason`); `policy` is null in a shard that leaves the suite's policy
/// check to another. `undoMissing` is the reason there is no undo (`declared irreversible`, …), else null.
/// `execution` is how a file's statements are sent: `autocommit`, `transaction`,
/// `transactionUnlessNonTransactional` or `singleQuery`; `entry` is a JavaScript file's function (`up`, `down`).
/// `checkCount` counts the test cases the run (or suite) reports, skipped ones included.
public struct PlanDocument: Codable, Sendable, Equatable {
    public static let currentFormatVersion = 1

    public struct Shard: Codable, Sendable, Equatable {
        public var index: Int
        public var count: Int
    }

    public struct File: Codable, Sendable, Equatable {
        public var path: String
        public var execution: String
        public var entry: String?

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(path, forKey: .path)
            try container.encode(execution, forKey: .execution)
            try container.encode(entry, forKey: .entry)
        }
    }

    public struct PlannedCheckEntry: Codable, Sendable, Equatable {
        public var name: String
        public var check: String
        /// `run` or `skip`.
        public var status: String
        public var reason: String?

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(check, forKey: .check)
            try container.encode(status, forKey: .status)
            try container.encode(reason, forKey: .reason)
        }
    }

    public struct Start: Codable, Sendable, Equatable {
        /// `empty`, `subject` or `unavailable`.
        public var kind: String
        public var subject: String?
        public var reason: String?

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(kind, forKey: .kind)
            try container.encode(subject, forKey: .subject)
            try container.encode(reason, forKey: .reason)
        }
    }

    public struct Subject: Codable, Sendable, Equatable {
        public var id: String
        public var folder: String
        public var start: Start
        public var rehearsed: Bool
        public var forward: [File]
        public var undo: [File]
        public var undoMissing: String?
        public var validators: [File]
        public var checks: [PlannedCheckEntry]

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(folder, forKey: .folder)
            try container.encode(start, forKey: .start)
            try container.encode(rehearsed, forKey: .rehearsed)
            try container.encode(forward, forKey: .forward)
            try container.encode(undo, forKey: .undo)
            try container.encode(undoMissing, forKey: .undoMissing)
            try container.encode(validators, forKey: .validators)
            try container.encode(checks, forKey: .checks)
        }
    }

    public struct Suite: Codable, Sendable, Equatable {
        public var name: String
        public var project: String
        public var database: String
        public var layout: String
        public var displayPath: String
        public var chain: Bool
        public var checkCount: Int
        public var policy: PlannedCheckEntry?
        public var subjects: [Subject]

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(project, forKey: .project)
            try container.encode(database, forKey: .database)
            try container.encode(layout, forKey: .layout)
            try container.encode(displayPath, forKey: .displayPath)
            try container.encode(chain, forKey: .chain)
            try container.encode(checkCount, forKey: .checkCount)
            try container.encode(policy, forKey: .policy)
            try container.encode(subjects, forKey: .subjects)
        }
    }

    public var formatVersion: Int
    public var rehearseVersion: String
    public var path: String
    public var layout: String
    public var changedSince: String?
    public var shard: Shard?
    public var checkCount: Int
    public var suites: [Suite]

    /// The document for `plan`, read from `path` as `layout`.
    public init(
        _ plan: RehearsalPlan, path: String, layout: String, changedSince: String? = nil, shard: Sharding? = nil, rehearseVersion: String
    ) {
        formatVersion = Self.currentFormatVersion
        self.rehearseVersion = rehearseVersion
        self.path = path
        self.layout = layout
        self.changedSince = changedSince
        self.shard = shard.map { Shard(index: $0.index, count: $0.count) }
        checkCount = plan.checkCount
        suites = plan.suites.map(Self.suite)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(formatVersion, forKey: .formatVersion)
        try container.encode(rehearseVersion, forKey: .rehearseVersion)
        try container.encode(path, forKey: .path)
        try container.encode(layout, forKey: .layout)
        try container.encode(changedSince, forKey: .changedSince)
        try container.encode(shard, forKey: .shard)
        try container.encode(checkCount, forKey: .checkCount)
        try container.encode(suites, forKey: .suites)
    }

    /// Pretty-printed with sorted keys, ending in a newline.
    public var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Strings, integers and booleans only: encoding cannot fail.
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func suite(_ planned: PlannedSuite) -> Suite {
        let suite = planned.suite
        return Suite(
            name: planned.name, project: suite.name, database: suite.database.rawValue, layout: suite.layout,
            displayPath: suite.displayPath, chain: suite.isChain, checkCount: planned.checkCount,
            policy: suite.reportsPolicy ? entry(planned.policy, subject: .project) : nil,
            subjects: planned.subjects.map(subject)
        )
    }

    private static func subject(_ planned: PlannedSubject) -> Subject {
        let subject = planned.subject
        let start: Start = switch subject.start {
        case .empty: Start(kind: "empty")
        case let .resultOf(other): Start(kind: "subject", subject: other.description)
        case let .unavailable(reason): Start(kind: "unavailable", reason: reason)
        }
        let undoMissing: String? = switch subject.undo {
        case .scripts: nil
        case let .missing(reason): reason
        case .irreversible: "declared irreversible"
        }
        return Subject(
            id: subject.id.description, folder: subject.folder, start: start, rehearsed: subject.rehearsed,
            forward: subject.forward.map(file), undo: subject.undoFiles.map(file), undoMissing: undoMissing,
            validators: subject.validators.map(file), checks: planned.checks.map { entry($0, subject: subject.id) }
        )
    }

    private static func file(_ file: ScriptFile) -> File {
        File(path: file.displayPath, execution: file.execution.rawValue, entry: file.entry)
    }

    private static func entry(_ check: PlannedCheck, subject: MigrationSubject) -> PlannedCheckEntry {
        PlannedCheckEntry(
            name: "\(subject): \(check.check.rawValue)", check: check.check.rawValue, status: check.willRun ? "run" : "skip",
            reason: check.skipReason
        )
    }
}
