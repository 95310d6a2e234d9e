import Foundation
import Testing
import RehearseKit

/// The flat-layout samples under sample-migrations/layouts/, rehearsed on a real disposable PostgreSQL cluster:
/// each passing repository passes every check it plans, and each broken one fails the check its README names.
@Suite(.serialized) struct LayoutSamplesTests {
    static let layouts = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sample-migrations/layouts").path

    static func rehearse(_ sample: String) async throws -> SuiteReport {
        let request = RehearsalRequest(path: layouts + "/" + sample, options: RehearsalOptions(jobs: 2))
        let report = try await Rehearsal(request).run()
        return try #require(report.suites.first)
    }

    static func failures(_ suite: SuiteReport) -> [String] {
        suite.results.filter(\.isFailure).map(\.name)
    }

    static func passed(_ suite: SuiteReport) -> Set<String> {
        Set(suite.results.filter { !$0.isFailure && !$0.isSkipped }.map(\.name))
    }

    static func message(_ suite: SuiteReport, _ name: String) -> String {
        suite.results.first { $0.name == name }?.failure.map { $0.message + "\n" + $0.details } ?? ""
    }

    @Test func flywayShopPassesWithItsBaselineAndRepeatable() async throws {
        let suite = try await Self.rehearse("flyway-shop")
        #expect(suite.project == "flyway-shop")
        #expect(Self.failures(suite) == [], "\(suite.results.filter(\.isFailure).map { "\($0.name): \($0.outcome)" })")
        let passed = Self.passed(suite)
        #expect(passed.contains("migration V3__create_orders: equivalence"))
        #expect(passed.contains("migration V4__index_orders_by_customer: idempotence"))
        #expect(passed.contains("migration V5__add_customer_phone: data-preservation"))
        #expect(passed.contains("migration R__order_totals_view: idempotence"))
        #expect(passed.contains("project: policy"))
    }

    @Test func golangMigrateBlogPasses() async throws {
        let suite = try await Self.rehearse("golang-migrate-blog")
        #expect(suite.project == "blog")
        #expect(Self.failures(suite) == [])
        #expect(Self.passed(suite).contains("migration 000004_add_posts_published_at: data-preservation"))
    }

    @Test func dieselTasksPassesFromItsMigrationsFolder() async throws {
        let suite = try await Self.rehearse("diesel-tasks")
        #expect(suite.project == "diesel-tasks")
        #expect(Self.failures(suite) == [])
        let passed = Self.passed(suite)
        #expect(passed.contains("migration 00000000000000_diesel_initial_setup: reversibility"))
        #expect(passed.contains("migration 2024-01-12-090000_index_tasks_due_on: idempotence"))
    }

    @Test func dbmateInventoryPassesHalfByHalf() async throws {
        let suite = try await Self.rehearse("dbmate-inventory")
        #expect(suite.project == "inventory")
        #expect(Self.failures(suite) == [])
        let passed = Self.passed(suite)
        #expect(passed.contains("migration 20240301100300_index_items_description: idempotence"))
        #expect(passed.contains("migration 20240301100400_add_items_reorder_level: data-preservation"))
    }

    @Test func sqitchLibraryPassesWithItsVerifyScriptsAndRework() async throws {
        let suite = try await Self.rehearse("sqitch-library")
        #expect(suite.project == "library")
        #expect(Self.passed(suite).contains("migration search_books@v1.0: reversibility"))
        #expect(Self.passed(suite).contains("migration search_books: reversibility"))
        #expect(Self.failures(suite) == [])
    }

    @Test func golangDownThatForgetsAColumnFailsReversibility() async throws {
        let suite = try await Self.rehearse("broken-golang-down-forgets-column")
        #expect(Self.failures(suite) == ["migration 000002_add_member_profile: reversibility"])
        #expect(Self.message(suite, "migration 000002_add_member_profile: reversibility").contains("public.members.bio"))
    }

    @Test func flywayUndoWithOnlyCommentsFailsRollback() async throws {
        let suite = try await Self.rehearse("broken-flyway-empty-undo")
        #expect(Self.failures(suite) == ["migration V2__add_invoice_due_date: rollback"])
        #expect(Self.message(suite, "migration V2__add_invoice_due_date: rollback").contains("empty rollback"))
    }

    @Test func dbmateDownThatCascadesFailsReversibility() async throws {
        let suite = try await Self.rehearse("broken-dbmate-cascade-drops-trigger")
        #expect(Self.failures(suite) == ["migration 20240401090100_create_folders: reversibility"])
        // Forward again after that rollback would start from the wrong schema: reapply waits for a clean rollback.
        #expect(suite.results.first { $0.name == "migration 20240401090100_create_folders: reapply" }?.outcome == .skipped(reason: "reversibility failed"))
        let message = Self.message(suite, "migration 20240401090100_create_folders: reversibility")
        #expect(message.contains("documents_touch"))
        #expect(message.contains("touch_updated_at"))
    }

    @Test func flywayConcurrentIndexMixedWithAnotherStatementFailsForward() async throws {
        let suite = try await Self.rehearse("broken-flyway-concurrent-index")
        #expect(Self.failures(suite) == ["migration V2__index_events_by_kind: forward"])
        #expect(Self.message(suite, "migration V2__index_events_by_kind: forward").contains("V2__index_events_by_kind.sql:"))
    }

    @Test func dieselUnnamedIndexOutsideATransactionFailsIdempotence() async throws {
        let suite = try await Self.rehearse("broken-diesel-duplicate-index")
        #expect(Self.failures(suite) == ["migration 2024-05-02-080000_index_tickets_status: idempotence"])
        #expect(Self.message(suite, "migration 2024-05-02-080000_index_tickets_status: idempotence").contains("tickets_status_idx1"))
    }

    @Test func golangDownThatReAddsADroppedColumnEmptyFailsDataPreservation() async throws {
        let suite = try await Self.rehearse("broken-golang-dropped-column-lost")
        #expect(suite.project == "billing")
        #expect(Self.failures(suite) == ["migration 000003_drop_legacy_code: data-preservation"])
        #expect(Self.message(suite, "migration 000003_drop_legacy_code: data-preservation").contains("customers id=2: legacy_code 'B-2' -> NULL"))
    }

    @Test func sqitchVerifyOfAMissingColumnFailsValidate() async throws {
        let suite = try await Self.rehearse("broken-sqitch-verify-fails")
        #expect(Self.failures(suite).contains("migration products: validate"))
        #expect(Self.message(suite, "migration products: validate").contains("sku"))
        #expect(Self.failures(suite) == ["migration products: validate"])
    }

    // MARK: - Safety samples: measured on tables with rows

    @Test func flywayTypeChangeThatRewritesFailsSafety() async throws {
        let suite = try await Self.rehearse("broken-flyway-type-change-rewrites")
        #expect(Self.failures(suite) == ["migration V2__widen_order_totals: safety"])
        let message = Self.message(suite, "migration V2__widen_order_totals: safety")
        #expect(message.contains(
            "/layouts/broken-flyway-type-change-rewrites/V2__widen_order_totals.sql:4: ALTER TABLE orders ALTER COLUMN total_cents TYPE bigint takes ACCESS EXCLUSIVE on public.orders (3 rows) and rewrites it"
        ), "\(message)")
    }

    @Test func flywayBlockingIndexBuildFailsSafety() async throws {
        let suite = try await Self.rehearse("broken-flyway-blocking-index")
        #expect(Self.failures(suite) == ["migration V2__index_events_by_kind: safety"])
        let message = Self.message(suite, "migration V2__index_events_by_kind: safety")
        #expect(message.contains(
            "/layouts/broken-flyway-blocking-index/V2__index_events_by_kind.sql:4: CREATE INDEX events_kind_idx ON events (kind) takes SHARE on public.events (4 rows) while reading all of it"
        ), "\(message)")
    }

    @Test func flywayForeignKeyWithoutNotValidFailsSafety() async throws {
        let suite = try await Self.rehearse("broken-flyway-fk-without-not-valid")
        #expect(Self.failures(suite) == ["migration V2__reference_order_customers: safety"])
        let message = Self.message(suite, "migration V2__reference_order_customers: safety")
        #expect(message.contains("/layouts/broken-flyway-fk-without-not-valid/V2__reference_order_customers.sql:5: ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey"), "\(message)")
        #expect(message.contains("takes SHARE ROW EXCLUSIVE on public.orders (3 rows) while reading all of it"))
    }

    /// A rename holds ACCESS EXCLUSIVE only for a catalog change, reading no row: nothing for `safety` to measure, so
    /// every check passes and `rehearse lint` (`rename-column`) is what catches it.
    @Test func flywayRenameColumnPassesVerifyBecauseItReadsNothing() async throws {
        let suite = try await Self.rehearse("broken-flyway-rename-column")
        #expect(Self.failures(suite) == [])
        #expect(Self.passed(suite).contains("migration V2__rename_customer_full_name: safety"))
        let notes = suite.results.first { $0.name == "migration V2__rename_customer_full_name: safety" }?.notes ?? []
        #expect(notes.contains { $0.hasSuffix("/layouts/broken-flyway-rename-column/V2__rename_customer_full_name.sql:4: public.customers: AccessExclusiveLock") }, "\(notes)")
    }

    @Test func flywaySafeRewritesPassEveryCheckWithSafetyOnEachMigration() async throws {
        let suite = try await Self.rehearse("flyway-safe-rewrites")
        #expect(Self.failures(suite) == [], "\(suite.results.filter(\.isFailure).map { "\($0.name): \($0.outcome)" })")
        let passed = Self.passed(suite)
        for migration in [
            "V2__add_order_total_cents_big", "V3__backfill_order_total_cents_big", "V4__index_orders_by_customer",
            "V5__reference_order_customers", "V6__validate_order_customers", "V7__add_customer_display_name",
            "V8__backfill_customer_display_name",
        ] {
            #expect(passed.contains("migration \(migration): safety"), "\(migration)")
            #expect(passed.contains("migration \(migration): reversibility"), "\(migration)")
        }
        #expect(passed.contains("migration V4__index_orders_by_customer: idempotence"))
    }

    /// `allow:` in rehearse.yaml reaches `safety` as it reaches lint: the rule that fits the statement (or `safety`)
    /// accepts it, another rule does not.
    @Test func rehearseYamlAllowReachesSafety() async throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-allow-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.copyItem(atPath: Self.layouts + "/broken-flyway-type-change-rewrites", toPath: copy.path)
        let config = copy.appendingPathComponent("rehearse.yaml")
        let original = try String(contentsOf: config, encoding: .utf8)
        func rehearse(allowing rules: String) async throws -> SuiteReport {
            try (original + "allow: [\(rules)]\n").write(to: config, atomically: true, encoding: .utf8)
            let report = try await Rehearsal(RehearsalRequest(path: copy.path, options: RehearsalOptions(jobs: 2))).run()
            return try #require(report.suites.first)
        }
        #expect(Self.failures(try await rehearse(allowing: "alter-column-type")) == [])
        #expect(Self.failures(try await rehearse(allowing: "safety")) == [])
        #expect(Self.failures(try await rehearse(allowing: "create-index-non-concurrently")) == ["migration V2__widen_order_totals: safety"])
    }
}

