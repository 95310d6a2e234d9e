import Testing
@testable import RehearseCore

/// `safety`'s verdict on a measurement and how an allow reaches a statement, without a server.
@Suite struct SafetyCheckTests {
    static let rewrite = StatementLocks(
        file: "db/V2__widen.sql", line: 3, excerpt: "ALTER TABLE orders ALTER COLUMN total TYPE bigint",
        locks: ["public.orders": ["AccessExclusiveLock"]], rewritten: ["public.orders"]
    )

    @Test func aRewriteOfATableWithRowsFailsAndOfAnEmptyOnePasses() {
        let withRows = LockObservation(rowCounts: ["public.orders": 2], statements: [Self.rewrite])
        #expect(SafetyCheck.verdict(withRows) { _ in false }.failure?.message
            == "db/V2__widen.sql:3: ALTER TABLE orders ALTER COLUMN total TYPE bigint takes ACCESS EXCLUSIVE on public.orders (2 rows) and rewrites it")
        #expect(SafetyCheck.verdict(withRows) { _ in false }.failure?.file == "db/V2__widen.sql")
        let empty = LockObservation(rowCounts: ["public.orders": 0], statements: [Self.rewrite])
        #expect(SafetyCheck.verdict(empty) { _ in false }.outcome == .passed)
    }

    @Test func aLockHeldFromEarlierInTheTransactionCountsWhileReading() {
        var validate = StatementLocks(
            file: "db/V2__check.sql", line: 2, excerpt: "ALTER TABLE orders VALIDATE CONSTRAINT c", locks: ["public.orders": ["ShareUpdateExclusiveLock"]]
        )
        validate.scanned = ["public.orders"]
        #expect(SafetyCheck.verdict(LockObservation(rowCounts: ["public.orders": 5], statements: [validate])) { _ in false }.outcome == .passed)
        validate.heldLocks = ["public.orders": ["AccessExclusiveLock"]]
        let failure = SafetyCheck.verdict(LockObservation(rowCounts: ["public.orders": 5], statements: [validate])) { _ in false }.failure
        #expect(failure?.message.hasSuffix("holds ACCESS EXCLUSIVE on public.orders (5 rows) (taken earlier in its transaction) while reading all of it") == true)
    }

    @Test func aStatementFallsUnderTheRulesOfWhatItDoes() {
        #expect(SafetyCheck.rules(for: "ALTER TABLE orders\n  ALTER COLUMN total TYPE bigint") == ["safety", "alter-column-type"])
        #expect(SafetyCheck.rules(for: "alter table orders add constraint fk foreign key (c) references customers (id)") == ["safety", "add-foreign-key"])
        #expect(SafetyCheck.rules(for: "ALTER TABLE orders ADD note text") == ["safety", "add-required-column", "add-column-volatile-default"])
        #expect(SafetyCheck.rules(for: "ALTER TABLE orders ALTER COLUMN note DROP NOT NULL") == ["safety"])
        #expect(SafetyCheck.rules(for: "ALTER TABLE orders RENAME COLUMN a TO b") == ["safety", "rename-column"])
        #expect(SafetyCheck.rules(for: "CREATE UNIQUE INDEX i ON orders (id)") == ["safety", "create-index-non-concurrently"])
    }

    /// Allowing one kind of statement for the repository does not accept a rewrite of another kind.
    @Test func anAllowAcceptsOnlyTheStatementsItNames() {
        let text = Self.rewrite.excerpt
        #expect(!SafetyCheck.allowed(statement: Self.rewrite, text: text, suite: ["create-index-non-concurrently"], file: nil))
        #expect(SafetyCheck.allowed(statement: Self.rewrite, text: text, suite: ["alter-column-type"], file: nil))
        #expect(SafetyCheck.allowed(statement: Self.rewrite, text: text, suite: ["safety"], file: nil))
        let file = "SET lock_timeout = '1s';\n-- rehearse:allow alter-column-type orders holds ten rows\n" + text + ";\n"
        #expect(SafetyCheck.allowed(statement: Self.rewrite, text: text, suite: [], file: file))
        #expect(!SafetyCheck.allowed(statement: Self.rewrite, text: text, suite: [], file: "-- rehearse:allow rename-column\n\n" + text + ";\n"))
    }
}
