import Testing
@testable import RehearseCore

/// The text helpers that replace Foundation's bridged searches on hot paths.
struct StringTextTests {
    @Test func aWordIsFoundInAnyASCIICase() {
        #expect("ALTER TABLE t ADD CONSTRAINT k UNIQUE (a) DEFERRABLE".containsIgnoringASCIICase("deferrable"))
        #expect("set Track_Counts = off".containsIgnoringASCIICase("track_counts"))
        #expect("UPDATE PG_catalog.pg_index SET indisvalid = false".containsIgnoringASCIICase("pg_"))
        #expect("ends with pG_".containsIgnoringASCIICase("pg_"))
        #expect("anything".containsIgnoringASCIICase(""))
    }

    @Test func aWordThatIsNotThereIsNotFound() {
        #expect(!"CREATE TABLE deferred (a int)".containsIgnoringASCIICase("deferrable"))
        #expect(!"pg".containsIgnoringASCIICase("pg_"))
        #expect(!"".containsIgnoringASCIICase("pg_"))
        #expect(!"p g_ and pgx_".containsIgnoringASCIICase("pg_"))
        // Only ASCII letters fold: a longer word with the same letters elsewhere is no match.
        #expect(!"café_PG".containsIgnoringASCIICase("é_pg_"))
        #expect("Café_PG_x".containsIgnoringASCIICase("é_pg_"))
    }

    @Test func quotesAreDoubled() {
        #expect("it's".doubling("'") == "it''s")
        #expect("plain".doubling("'") == "plain")
    }
}
