import Testing
import RehearseCore
@testable import RehearseLint

/// Every rule with a statement that breaks it and the safe form that does not. The table `t` is created by an
/// earlier migration, so it is an existing table.
@Suite struct RuleTests {
    @Test func addColumnVolatileDefault() throws {
        let rule = "add-column-volatile-default"
        #expect(try rulesBroken(by: "ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid();").contains(rule))
        #expect(try rulesBroken(by: "ALTER TABLE t ADD COLUMN c bigserial;").contains(rule))
        #expect(try rulesBroken(by: "ALTER TABLE t ADD COLUMN c int GENERATED ALWAYS AS IDENTITY;").contains(rule))
        #expect(try rulesBroken(by: "ALTER TABLE t ADD COLUMN c int GENERATED ALWAYS AS (a * 2) STORED;").contains(rule))
        #expect(try !rulesBroken(by: "ALTER TABLE t ADD COLUMN c text DEFAULT 'x';").contains(rule))
        #expect(try !rulesBroken(by: "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT now();").contains(rule))
        // On a table this migration creates, nothing is rewritten.
        #expect(try !rulesBroken(by: "CREATE TABLE n (id int); ALTER TABLE n ADD COLUMN c uuid DEFAULT gen_random_uuid();").contains(rule))
    }

    @Test func aDefaultCallingAnUnknownFunctionIsAWarning() throws {
        let fixture = try LintFixture(["CREATE TABLE t (id int);", "ALTER TABLE t ADD COLUMN c int DEFAULT my_counter();"])
        let finding = try #require(fixture.findings(in: 2).first { $0.rule == "add-column-volatile-default" })
        #expect(finding.severity == .warning)
        #expect(finding.message.contains("my_counter"))
    }

    @Test func addRequiredColumn() throws {
        let rule = "add-required-column"
        #expect(try rulesBroken(by: "ALTER TABLE t ADD COLUMN c integer NOT NULL;").contains(rule))
        #expect(try !rulesBroken(by: "ALTER TABLE t ADD COLUMN c integer NOT NULL DEFAULT 0;").contains(rule))
        #expect(try !rulesBroken(by: "ALTER TABLE t ADD COLUMN c integer;").contains(rule))
    }

    @Test func setNotNull() throws {
        let rule = "set-not-null"
        #expect(try rulesBroken(by: "ALTER TABLE t ALTER COLUMN a SET NOT NULL;").contains(rule))
        let safe = """
        ALTER TABLE t ADD CONSTRAINT t_a_not_null CHECK (a IS NOT NULL) NOT VALID;
        ALTER TABLE t VALIDATE CONSTRAINT t_a_not_null;
        ALTER TABLE t ALTER COLUMN a SET NOT NULL;
        ALTER TABLE t DROP CONSTRAINT t_a_not_null;
        """
        #expect(try !rulesBroken(by: safe).contains(rule))
        // A NOT VALID check that was never validated proves nothing.
        let unvalidated = "ALTER TABLE t ADD CONSTRAINT c CHECK (a IS NOT NULL) NOT VALID;\nALTER TABLE t ALTER COLUMN a SET NOT NULL;"
        #expect(try rulesBroken(by: unvalidated).contains(rule))
    }

    @Test func setNotNullIsSafeWhenAnEarlierMigrationValidatedTheCheck() throws {
        let fixture = try LintFixture([
            "CREATE TABLE t (a int);",
            "ALTER TABLE t ADD CONSTRAINT t_a_nn CHECK (a IS NOT NULL) NOT VALID;",
            "ALTER TABLE t VALIDATE CONSTRAINT t_a_nn;",
            "ALTER TABLE t ALTER COLUMN a SET NOT NULL;",
        ])
        #expect(!fixture.findings(in: 4).map(\.rule).contains("set-not-null"))
    }

    @Test func addCheckConstraint() throws {
        let rule = "add-check-constraint"
        #expect(try rulesBroken(by: "ALTER TABLE t ADD CONSTRAINT a_positive CHECK (a > 0);").contains(rule))
        #expect(try !rulesBroken(by: "ALTER TABLE t ADD CONSTRAINT a_positive CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT a_positive;").contains(rule))
    }

    @Test func addForeignKey() throws {
        let rule = "add-foreign-key"
        let setup = "CREATE TABLE t (id bigint PRIMARY KEY, a integer); CREATE TABLE u (id integer PRIMARY KEY);"
        #expect(try rulesBroken(by: "ALTER TABLE t ADD CONSTRAINT t_a_fkey FOREIGN KEY (a) REFERENCES u (id);", after: setup).contains(rule))
        #expect(try rulesBroken(by: "ALTER TABLE t ADD COLUMN u_id integer REFERENCES u (id);", after: setup).contains(rule))
        let safe = "ALTER TABLE t ADD CONSTRAINT t_a_fkey FOREIGN KEY (a) REFERENCES u (id) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_a_fkey;"
        #expect(try !rulesBroken(by: safe, after: setup).contains(rule))
    }

    @Test func addUniqueConstraint() throws {
        let rule = "add-unique-constraint"
        #expect(try rulesBroken(by: "ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a);").contains(rule))
        #expect(try rulesBroken(by: "ALTER TABLE t ADD PRIMARY KEY (a);", after: "CREATE TABLE t (a int);").contains(rule))
        #expect(try rulesBroken(by: "ALTER TABLE t ADD CONSTRAINT no_overlap EXCLUDE USING gist (a WITH =);").contains(rule))
        let safe = "CREATE UNIQUE INDEX CONCURRENTLY t_a_key ON t (a);\nALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE USING INDEX t_a_key;"
        #expect(try !rulesBroken(by: safe).contains(rule))
    }

    @Test func createIndexNonConcurrently() throws {
        let rule = "create-index-non-concurrently"
        #expect(try rulesBroken(by: "CREATE INDEX t_a ON t (a);").contains(rule))
        #expect(try !rulesBroken(by: "CREATE INDEX CONCURRENTLY t_a ON t (a);").contains(rule))
    }

    @Test func dropIndexNonConcurrently() throws {
        let rule = "drop-index-non-concurrently"
        let setup = "CREATE TABLE t (a int); CREATE INDEX t_a ON t (a);"
        #expect(try rulesBroken(by: "DROP INDEX t_a;", after: setup).contains(rule))
        #expect(try !rulesBroken(by: "DROP INDEX CONCURRENTLY t_a;", after: setup).contains(rule))
        // An index built by the same migration has no readers yet.
        #expect(try !rulesBroken(by: "CREATE INDEX CONCURRENTLY t_b ON t (a);\nDROP INDEX t_b;", after: setup).contains(rule))
    }

    @Test func reindexNonConcurrently() throws {
        let rule = "reindex-non-concurrently"
        #expect(try rulesBroken(by: "REINDEX TABLE t;").contains(rule))
        #expect(try !rulesBroken(by: "REINDEX TABLE CONCURRENTLY t;").contains(rule))
    }

    @Test func concurrentlyInTransaction() throws {
        let rule = "concurrently-in-transaction"
        #expect(try rulesBroken(by: "BEGIN;\nCREATE INDEX CONCURRENTLY t_a ON t (a);\nCOMMIT;").contains(rule))
        #expect(try rulesBroken(by: "CREATE INDEX CONCURRENTLY t_a ON t (a);", execution: .transaction).contains(rule))
        #expect(try !rulesBroken(by: "CREATE INDEX CONCURRENTLY t_a ON t (a);").contains(rule))
        #expect(try !rulesBroken(by: "BEGIN;\nUPDATE t SET a = 1;\nCOMMIT;\nCREATE INDEX CONCURRENTLY t_a ON t (a);").contains(rule))
    }

    @Test func alterColumnType() throws {
        let rule = "alter-column-type"
        #expect(try rulesBroken(by: "ALTER TABLE t ALTER COLUMN a TYPE bigint;").contains(rule))
        #expect(try rulesBroken(by: "ALTER TABLE t ALTER COLUMN s TYPE varchar(10);").contains(rule))
        #expect(try rulesBroken(by: "ALTER TABLE t ALTER COLUMN s TYPE varchar(40) USING upper(s);").contains(rule))
        // Widening a varchar needs no rewrite (varchar-growth notes its lock instead).
        #expect(try !rulesBroken(by: "ALTER TABLE t ALTER COLUMN s TYPE varchar(40);").contains(rule))
        #expect(try !rulesBroken(by: "ALTER TABLE t ALTER COLUMN s TYPE text;").contains(rule))
    }

    @Test func renameColumn() throws {
        let rule = "rename-column"
        #expect(try rulesBroken(by: "ALTER TABLE t RENAME COLUMN a TO c;").contains(rule))
        #expect(try !rulesBroken(by: "ALTER TABLE t ADD COLUMN IF NOT EXISTS c integer;").contains(rule))
        #expect(try !rulesBroken(by: "CREATE TABLE n (a int);\nALTER TABLE n RENAME COLUMN a TO c;").contains(rule))
    }

    @Test func renameTable() throws {
        let rule = "rename-table"
        #expect(try rulesBroken(by: "ALTER TABLE t RENAME TO t2;").contains(rule))
        #expect(try !rulesBroken(by: "CREATE TABLE n (a int);\nALTER TABLE n RENAME TO n2;").contains(rule))
    }

    @Test func dropColumn() throws {
        let rule = "drop-column"
        #expect(try rulesBroken(by: "ALTER TABLE t DROP COLUMN b;").contains(rule))
        #expect(try !rulesBroken(by: "CREATE TABLE n (a int, b int);\nALTER TABLE n DROP COLUMN b;").contains(rule))
    }

    @Test func dropTable() throws {
        let rule = "drop-table"
        #expect(try rulesBroken(by: "DROP TABLE t;").contains(rule))
        #expect(try !rulesBroken(by: "CREATE TABLE scratch (a int);\nDROP TABLE scratch;").contains(rule))
    }

    @Test func vacuumFull() throws {
        let rule = "vacuum-full"
        #expect(try rulesBroken(by: "VACUUM FULL t;").contains(rule))
        #expect(try rulesBroken(by: "VACUUM (FULL, ANALYZE);").contains(rule))
        #expect(try !rulesBroken(by: "VACUUM (ANALYZE) t;").contains(rule))
    }

    @Test func cluster() throws {
        let rule = "cluster"
        #expect(try rulesBroken(by: "CLUSTER t USING t_pkey;").contains(rule))
        #expect(try !rulesBroken(by: "CREATE TABLE n (a int PRIMARY KEY);\nCLUSTER n USING n_pkey;").contains(rule))
    }

    @Test func lockTable() throws {
        let rule = "lock-table"
        #expect(try rulesBroken(by: "BEGIN;\nLOCK TABLE t;\nCOMMIT;").contains(rule))
        #expect(try rulesBroken(by: "BEGIN;\nLOCK TABLE t IN SHARE MODE;\nCOMMIT;").contains(rule))
        #expect(try !rulesBroken(by: "BEGIN;\nLOCK TABLE t IN ROW EXCLUSIVE MODE;\nCOMMIT;").contains(rule))
    }

    @Test func enumValueUsedInTransaction() throws {
        let rule = "enum-value-used-in-transaction"
        let setup = "CREATE TYPE mood AS ENUM ('ok'); CREATE TABLE t (m mood);"
        let unsafe = "BEGIN;\nALTER TYPE mood ADD VALUE 'happy';\nUPDATE t SET m = 'happy';\nCOMMIT;"
        #expect(try rulesBroken(by: unsafe, after: setup).contains(rule))
        #expect(try rulesBroken(by: "ALTER TYPE mood ADD VALUE 'happy';\nUPDATE t SET m = 'happy';", after: setup, execution: .transaction).contains(rule))
        let safe = "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'happy';\nUPDATE t SET m = 'happy';"
        #expect(try !rulesBroken(by: safe, after: setup).contains(rule))
    }

    @Test func requireLockTimeout() throws {
        let rule = "require-lock-timeout"
        #expect(try rulesBroken(by: "ALTER TABLE t ADD COLUMN IF NOT EXISTS c text;").contains(rule))
        #expect(try !rulesBroken(by: "SET lock_timeout = '5s';\nALTER TABLE t ADD COLUMN IF NOT EXISTS c text;").contains(rule))
        #expect(try !rulesBroken(by: "BEGIN;\nSET LOCAL lock_timeout = '5s';\nALTER TABLE t ADD COLUMN IF NOT EXISTS c text;\nCOMMIT;").contains(rule))
        // SET LOCAL ends with its transaction; a timeout of 0 switches it off.
        #expect(try rulesBroken(by: "BEGIN;\nSET LOCAL lock_timeout = '5s';\nCOMMIT;\nALTER TABLE t ADD COLUMN IF NOT EXISTS c text;").contains(rule))
        #expect(try rulesBroken(by: "SET lock_timeout = 0;\nALTER TABLE t ADD COLUMN IF NOT EXISTS c text;").contains(rule))
        // VALIDATE CONSTRAINT lets reads and writes through.
        #expect(try !rulesBroken(by: "ALTER TABLE t VALIDATE CONSTRAINT c;").contains(rule))
    }

    @Test func createWithoutIfNotExists() throws {
        let rule = "create-without-if-not-exists"
        for unsafe in [
            "CREATE TABLE n (a int);", "CREATE INDEX CONCURRENTLY t_a ON t (a);", "CREATE SEQUENCE s;",
            "ALTER TABLE t ADD COLUMN c int;", "CREATE VIEW v AS SELECT 1;", "CREATE TYPE e AS ENUM ('a');",
            "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;", "CREATE INDEX CONCURRENTLY ON t (a);",
        ] {
            #expect(try rulesBroken(by: unsafe, idempotence: .always).contains(rule), "\(unsafe)")
        }
        for safe in [
            "CREATE TABLE IF NOT EXISTS n (a int);", "CREATE INDEX CONCURRENTLY IF NOT EXISTS t_a ON t (a);",
            "ALTER TABLE t ADD COLUMN IF NOT EXISTS c int;", "CREATE OR REPLACE VIEW v AS SELECT 1;",
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'e') THEN CREATE TYPE e AS ENUM ('a'); END IF; END $$;",
            "ALTER TABLE t DROP CONSTRAINT IF EXISTS c, ADD CONSTRAINT c CHECK (a > 0) NOT VALID;",
            "DROP VIEW IF EXISTS v;\nCREATE VIEW v AS SELECT 1;",
            "DROP TRIGGER IF EXISTS trg ON t;\nCREATE TRIGGER trg BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f();",
        ] {
            #expect(try !rulesBroken(by: safe, idempotence: .always).contains(rule), "\(safe)")
        }
        // Where a failed run leaves nothing behind, re-runs need no guard.
        #expect(try !rulesBroken(by: "CREATE TABLE n (a int);", execution: .transaction, idempotence: .outsideTransaction).contains(rule))
        #expect(try rulesBroken(by: "CREATE TABLE n (a int);", execution: .autocommit, idempotence: .outsideTransaction).contains(rule))
    }

    @Test func dropWithoutIfExists() throws {
        let rule = "drop-without-if-exists"
        #expect(try rulesBroken(by: "DROP VIEW v;", idempotence: .always).contains(rule))
        #expect(try rulesBroken(by: "ALTER TABLE t DROP COLUMN b;", idempotence: .always).contains(rule))
        #expect(try !rulesBroken(by: "DROP VIEW IF EXISTS v;", idempotence: .always).contains(rule))
        #expect(try !rulesBroken(by: "ALTER TABLE t DROP COLUMN IF EXISTS b;", idempotence: .always).contains(rule))
        #expect(try !rulesBroken(by: "DROP VIEW v;", idempotence: .never).contains(rule))
    }

    @Test func charColumn() throws {
        let fixture = try LintFixture(["CREATE TABLE n (code char(2), name text);"])
        let finding = try #require(fixture.findings(in: 1).first { $0.rule == "char-column" })
        #expect(finding.severity == .advisory)
        #expect(try !rulesBroken(by: "CREATE TABLE n (code text CHECK (char_length(code) = 2));").contains("char-column"))
    }

    @Test func varcharGrowth() throws {
        let rule = "varchar-growth"
        #expect(try rulesBroken(by: "CREATE TABLE n (name varchar(100));").contains(rule))
        #expect(try rulesBroken(by: "ALTER TABLE t ALTER COLUMN s TYPE varchar(40);").contains(rule))
        #expect(try !rulesBroken(by: "CREATE TABLE n (name text CHECK (char_length(name) <= 100));").contains(rule))
    }

    @Test func timestampWithoutTimeZone() throws {
        let rule = "timestamp-without-time-zone"
        #expect(try rulesBroken(by: "CREATE TABLE n (at timestamp);").contains(rule))
        #expect(try rulesBroken(by: "ALTER TABLE t ADD COLUMN IF NOT EXISTS at timestamp without time zone;").contains(rule))
        #expect(try !rulesBroken(by: "CREATE TABLE n (at timestamptz);").contains(rule))
    }

    @Test func unparsableSQL() throws {
        let fixture = try LintFixture(["CREATE TABLE t (a int);\nALTER TABLE t ADD COLUM c int;\n"])
        let finding = try #require(fixture.findings(in: 1).first)
        #expect(finding.rule == "unparsable-sql")
        #expect(finding.severity == .error)
        #expect((finding.line, finding.column) == (2, 27))
        #expect(try !rulesBroken(by: "ALTER TABLE t ADD COLUMN IF NOT EXISTS c int;").contains("unparsable-sql"))
    }

    @Test func everyRuleHasAUniqueNameAndASummary() {
        let names = Linter.rules.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.count >= 20)
        #expect(Linter.rules.allSatisfy { !$0.summary.isEmpty && !$0.summary.contains("\n") })
    }
}
