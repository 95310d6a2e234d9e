import Foundation
import RehearseCore

/// A hand-built run with fixed times, covering every outcome, notes, limitations and hostile characters.
enum SampleReports {
    static let v100 = SemanticVersion(major: 1, minor: 0, patch: 0)
    static let v110 = SemanticVersion(major: 1, minor: 1, patch: 0)

    /// 2025-01-01T10:00:00Z.
    static let startedAt = Date(timeIntervalSince1970: 1_735_725_600)

    static let postgres = SuiteReport(
        project: "e-commerce",
        database: .postgresql,
        server: ServerInfo(product: "PostgreSQL", version: "15.20", location: "disposable"),
        results: [
            CheckResult(subject: .project, check: .policy, outcome: .passed, duration: 0.001),
            CheckResult(subject: .install(v100), check: .forward, outcome: .passed, duration: 0.25),
            CheckResult(
                subject: .install(v100), check: .validate, outcome: .skipped(reason: "no validators"), duration: 0
            ),
            CheckResult(
                subject: .upgrade(from: v100, to: v110), check: .idempotence,
                outcome: .failed(CheckFailure(
                    message: "the second run failed: V1.1.0.010__Add_phone.sql:3:1: ERROR 42701 column \"phone\" of relation \"customers\" already exists",
                    details: "the second run failed:\nV1.1.0.010__Add_phone.sql:3:1: ALTER TABLE customers ADD COLUMN phone varchar(32)\nERROR 42701: column \"phone\" of relation \"customers\" already exists\nhint: use <IF NOT EXISTS> & retry\u{1}"
                )),
                duration: 1.5
            ),
            CheckResult(
                subject: .upgrade(from: v100, to: v110), check: .reversibility, outcome: .passed, duration: 0.0125,
                notes: ["column order differs (not a failure without --strict-column-order):", "  column public.customers.full_name moved from position 3 to 5"]
            ),
            CheckResult(
                subject: .upgrade(from: v100, to: v110), check: .reapply, outcome: .skipped(reason: "rollback failed"), duration: 0
            ),
        ],
        duration: 2.5
    )

    static let mongo = SuiteReport(
        project: "e-commerce",
        database: .mongodb,
        server: ServerInfo(
            product: "nx-27017", version: "0.4.1", location: "disposable",
            limitations: ["$jsonSchema validators are not enforced", "collection options are not returned"]
        ),
        results: [
            CheckResult(subject: .install(v100), check: .forward, outcome: .passed, duration: 0.5),
        ],
        duration: 0.75
    )

    static let noServer = SuiteReport(
        project: "inventory",
        database: .mongodb,
        server: nil,
        results: [
            CheckResult(subject: .project, check: .policy, outcome: .skipped(reason: "no MongoDB server: install mongod or nx-27017")),
        ],
        duration: 0
    )

    static let run = RunReport(suites: [postgres, mongo, noServer], startedAt: startedAt, duration: 3.375)

    /// A run stopped before any server started: two scripts no server could run, and one option.
    static let inputErrors = RunReport(suites: [], startedAt: startedAt, duration: 0.125, errors: [
        RunError(kind: .input, file: "migrations/projects/shop/versions/v1.0.0/new-install/postgresql/schema/V1.0.0.001__Create.sql", line: 3, column: 7, message: "syntax error at or near \"TABL\""),
        RunError(kind: .input, file: "migrations/projects/shop/project-config.yaml", line: 12, message: "unknown key `polices`; did you mean `policies`?"),
        RunError(kind: .input, file: "--from", message: "`V9` is not a migration of shop/postgresql"),
    ])

    /// A run that found no PostgreSQL server.
    static let environmentError = RunReport(suites: [], startedAt: startedAt, duration: 0.5, errors: [
        RunError(kind: .environment, message: "PostgreSQL server programs (initdb, pg_ctl, postgres) not found; install them (apt-get install postgresql)"),
    ])
}
