import Foundation
import RehearseCore

/// The JSON report's document, version 1. Field names are stable; new fields may be added, none renamed.
///
/// ```json
/// {
///   "formatVersion": 1,
///   "rehearseVersion": "0.2.0",
///   "startedAt": "2025-01-31T09:30:00.000Z",
///   "duration": 12.5,
///   "succeeded": false,
///   "totals": {"tests": 42, "passed": 38, "failed": 1, "skipped": 3},
///   "suites": [{
///     "name": "e-commerce/postgresql", "project": "e-commerce", "database": "postgresql",
///     "server": {"product": "PostgreSQL", "version": "15.20", "location": "disposable", "limitations": []},
///     "duration": 12.1,
///     "totals": {…},
///     "checks": [{
///       "name": "upgrade v1.0.0 -> v1.1.0: idempotence", "subject": "upgrade v1.0.0 -> v1.1.0",
///       "check": "idempotence", "status": "failed", "message": "…", "details": "…",
///       "file": "…/V1.1.0.010__x.sql", "line": 3, "column": 1, "code": "SQLSTATE 42701",
///       "duration": 0.4, "notes": []
///     }]
///   }],
///   "errors": []
/// }
/// ```
/// `status` is `passed`, `failed` or `skipped`; `message` is the one-line failure message or the skip reason
/// (null when passed); `details` what a failure's diff or server error adds to `message` (null when nothing, and
/// for other outcomes); `server` is null when no server could be had. Durations are seconds; `startedAt` is
/// ISO 8601 in UTC. `errors` lists what kept the run from rehearsing (then `suites` is empty and `succeeded`
/// false): `{"type": "input" | "environment", "message": "…", "file": "…", "line": 3, "column": 1}`, with null
/// for what is not known. A document without `errors` (written before it was added) reads as none.
///
/// A `safety` check that measured also has `locks`: `{"rowCounts": {"public.orders": 3}, "generatedRows": [],
/// "statements": [{"file": "…/V2__x.sql", "line": 4, "excerpt": "ALTER TABLE …", "locks": {"public.orders":
/// ["AccessExclusiveLock"]}, "heldLocks": {}, "rewritten": ["public.orders"], "scanned": [],
/// "outsideTransaction": false}]}`: per statement, the lock modes it was granted on each
/// table that existed before, the write-blocking modes earlier statements of its transaction still held, and
/// the tables it rewrote or read through; a statement run outside a transaction, whose locks cannot be read, has
/// `"outsideTransaction": true` and `assumedMode`, the lock it takes by design (when known).
public struct JSONReport: Codable, Sendable, Equatable {
    public static let currentFormatVersion = 1

    public struct Totals: Codable, Sendable, Equatable {
        public var tests: Int
        public var passed: Int
        public var failed: Int
        public var skipped: Int
    }

    public struct Server: Codable, Sendable, Equatable {
        public var product: String
        public var version: String
        public var location: String
        public var limitations: [String]
    }

    public struct CheckEntry: Codable, Sendable, Equatable {
        public var name: String
        public var subject: String
        public var check: String
        public var status: String
        public var message: String?
        public var details: String?
        /// Where a failure points: the repository-relative file, its line and column, and the SQLSTATE or MongoDB code.
        public var file: String?
        public var line: Int?
        public var column: Int?
        public var code: String?
        public var duration: Double
        public var notes: [String]
        /// `safety` only (left out elsewhere): what was measured, per forward statement.
        public var locks: LockObservation? = nil

        // Explicit so that nil fields are written as null rather than left out: readers see every key.
        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(subject, forKey: .subject)
            try container.encode(check, forKey: .check)
            try container.encode(status, forKey: .status)
            try container.encode(message, forKey: .message)
            try container.encode(details, forKey: .details)
            try container.encode(file, forKey: .file)
            try container.encode(line, forKey: .line)
            try container.encode(column, forKey: .column)
            try container.encode(code, forKey: .code)
            try container.encode(duration, forKey: .duration)
            try container.encode(notes, forKey: .notes)
            try container.encodeIfPresent(locks, forKey: .locks)
        }
    }

    public struct Suite: Codable, Sendable, Equatable {
        public var name: String
        public var project: String
        public var database: String
        public var server: Server?
        public var duration: Double
        public var totals: Totals
        public var checks: [CheckEntry]

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(project, forKey: .project)
            try container.encode(database, forKey: .database)
            try container.encode(server, forKey: .server)
            try container.encode(duration, forKey: .duration)
            try container.encode(totals, forKey: .totals)
            try container.encode(checks, forKey: .checks)
        }
    }

    /// An input or environment error that kept the run from rehearsing.
    public struct ErrorEntry: Codable, Sendable, Equatable {
        /// `input` or `environment`.
        public var type: String
        public var message: String
        public var file: String?
        public var line: Int?
        public var column: Int?

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
            try container.encode(message, forKey: .message)
            try container.encode(file, forKey: .file)
            try container.encode(line, forKey: .line)
            try container.encode(column, forKey: .column)
        }
    }

    public var formatVersion: Int
    public var rehearseVersion: String
    public var startedAt: String
    public var duration: Double
    public var succeeded: Bool
    public var totals: Totals
    public var suites: [Suite]
    public var errors: [ErrorEntry]

    /// The document for `report`.
    public init(_ report: RunReport, rehearseVersion: String) {
        formatVersion = Self.currentFormatVersion
        self.rehearseVersion = rehearseVersion
        startedAt = ReportFormatting.isoTimestamp(report.startedAt)
        duration = Self.finite(report.duration)
        succeeded = report.succeeded
        totals = Totals(tests: report.total, passed: report.passed, failed: report.failures, skipped: report.skipped)
        suites = report.suites.map { suite in
            Suite(
                name: suite.name,
                project: suite.project,
                database: suite.database.rawValue,
                server: suite.server.map { Server(product: $0.product, version: $0.version, location: $0.location, limitations: $0.limitations) },
                duration: Self.finite(suite.duration),
                totals: Totals(tests: suite.results.count, passed: suite.passed, failed: suite.failures, skipped: suite.skipped),
                checks: suite.results.map(Self.entry)
            )
        }
        errors = report.errors.map { ErrorEntry(type: $0.kind.rawValue, message: $0.message, file: $0.file, line: $0.line, column: $0.column) }
    }

    private enum CodingKeys: String, CodingKey {
        case formatVersion, rehearseVersion, startedAt, duration, succeeded, totals, suites, errors
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try container.decode(Int.self, forKey: .formatVersion)
        rehearseVersion = try container.decode(String.self, forKey: .rehearseVersion)
        startedAt = try container.decode(String.self, forKey: .startedAt)
        duration = try container.decode(Double.self, forKey: .duration)
        succeeded = try container.decode(Bool.self, forKey: .succeeded)
        totals = try container.decode(Totals.self, forKey: .totals)
        suites = try container.decode([Suite].self, forKey: .suites)
        errors = try container.decodeIfPresent([ErrorEntry].self, forKey: .errors) ?? []
    }

    /// JSON has no NaN or infinity; a clock that misbehaved reports 0.
    private static func finite(_ seconds: Double) -> Double {
        seconds.isFinite ? seconds : 0
    }

    private static func entry(_ result: CheckResult) -> CheckEntry {
        var entry = CheckEntry(
            name: result.name, subject: result.subject.description, check: result.check.rawValue,
            status: "passed", message: nil, details: nil, file: nil, line: nil, column: nil, code: nil, duration: finite(result.duration), notes: result.notes,
            locks: result.locks
        )
        switch result.outcome {
        case .passed: break
        case let .failed(failure):
            entry.status = "failed"
            entry.message = failure.message
            // Lines that only repeat the message say nothing new.
            let details = failure.additionalDetails
            entry.details = details.isEmpty ? nil : details
            entry.file = failure.file
            entry.line = failure.line
            entry.column = failure.column
            entry.code = failure.code
        case let .skipped(reason):
            entry.status = "skipped"
            entry.message = reason
        }
        return entry
    }

    /// Reads a document back into the run it describes.
    ///
    /// - Throws: ``InputError`` for a document that is not a Rehearse JSON report of a known version.
    public func runReport() throws -> RunReport {
        guard formatVersion == Self.currentFormatVersion else {
            throw InputError("unsupported JSON report formatVersion \(formatVersion); this Rehearse reads version \(Self.currentFormatVersion)")
        }
        guard let started = ReportFormatting.parseISOTimestamp(startedAt) else {
            throw InputError("startedAt `\(startedAt)` is not an ISO 8601 date")
        }
        let suites = try self.suites.map { suite in
            guard let database = DatabaseKind(rawValue: suite.database) else {
                throw InputError("suite \(suite.name): unknown database `\(suite.database)`")
            }
            let results = try suite.checks.map { try Self.result($0, suite: suite.name) }
            let server = suite.server.map { ServerInfo(product: $0.product, version: $0.version, location: $0.location, limitations: $0.limitations) }
            return SuiteReport(project: suite.project, database: database, server: server, results: results, duration: suite.duration)
        }
        let errors = try self.errors.map { entry in
            guard let kind = RunError.Kind(rawValue: entry.type) else {
                throw InputError("unknown error type `\(entry.type)`; expected input or environment")
            }
            return RunError(kind: kind, file: entry.file, line: entry.line, column: entry.column, message: entry.message)
        }
        return RunReport(suites: suites, startedAt: started, duration: duration, errors: errors)
    }

    private static func result(_ entry: CheckEntry, suite: String) throws -> CheckResult {
        guard let check = Check(rawValue: entry.check) else {
            throw InputError("suite \(suite): unknown check `\(entry.check)`")
        }
        guard let subject = subject(entry.subject) else {
            throw InputError("suite \(suite): `\(entry.subject)` is not a subject; expected `project`, `install v1.0.0` or `upgrade v1.0.0 -> v1.1.0`")
        }
        let outcome: CheckResult.Outcome
        switch entry.status {
        case "passed": outcome = .passed
        case "failed":
            outcome = .failed(CheckFailure(
                message: entry.message ?? "", file: entry.file, line: entry.line, column: entry.column, code: entry.code,
                details: entry.details ?? ""
            ))
        case "skipped": outcome = .skipped(reason: entry.message ?? "")
        default: throw InputError("suite \(suite): unknown status `\(entry.status)`; expected passed, failed or skipped")
        }
        var result = CheckResult(subject: subject, check: check, outcome: outcome, duration: entry.duration, notes: entry.notes)
        result.locks = entry.locks
        return result
    }

    /// Parses ``MigrationSubject/description``.
    static func subject(_ text: String) -> MigrationSubject? {
        if text == "project" { return .project }
        if text.hasPrefix("install "), let version = SemanticVersion(text.dropFirst("install ".count)) {
            return .install(version)
        }
        if text.hasPrefix("migration "), text.count > "migration ".count {
            return .migration(String(text.dropFirst("migration ".count)))
        }
        if text.hasPrefix("upgrade ") {
            let parts = text.dropFirst("upgrade ".count).components(separatedBy: " -> ")
            if parts.count == 2, let from = SemanticVersion(parts[0]), let to = SemanticVersion(parts[1]) {
                return .upgrade(from: from, to: to)
            }
        }
        return nil
    }
}
