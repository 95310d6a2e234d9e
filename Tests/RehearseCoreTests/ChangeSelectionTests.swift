import Foundation
import Testing
@testable import RehearseCore

/// `--changed-since`: which subjects the changed files select, and what is applied forward only.
@Suite struct ChangeSelectionTests {
    static let chainRoot = URL(fileURLWithPath: "/work/chain")

    static func chainSelection(_ changed: [String]) -> ChangeSelection {
        ChangeSelection(changedPaths: changed.map { chainRoot.appendingPathComponent($0).path }, root: chainRoot, rootDisplay: "chain")
    }

    @Test func aChangedChainStepRehearsesItAndEveryLaterStepAfterReplayingTheEarlierOnes() throws {
        let suite = try NarrowingFixtures.chain(5)
        let selected = Self.chainSelection(["V3__step.sql"]).select(suite)
        #expect(NarrowingFixtures.ids(selected, rehearsed: false) == ["migration V1__step", "migration V2__step"])
        #expect(NarrowingFixtures.ids(selected, rehearsed: true) == ["migration V3__step", "migration V4__step", "migration V5__step"])
        #expect(selected.policy == suite.policy)
    }

    @Test func anUndoFileASidecarOrADeletedDownFileChangesItsStep() throws {
        let suite = try NarrowingFixtures.chain(4)
        #expect(NarrowingFixtures.ids(Self.chainSelection(["U4__step.sql"]).select(suite), rehearsed: true) == ["migration V4__step"])
        // Flyway's per-file configuration sits next to the script.
        #expect(NarrowingFixtures.ids(Self.chainSelection(["V2__step.sql.conf"]).select(suite), rehearsed: true).first == "migration V2__step")
        // The undo was deleted: the file is gone from the model, but its expected place changed.
        var withoutUndo = suite
        withoutUndo.subjects[1] = RehearsalSubject(
            id: suite.subjects[1].id, folder: suite.subjects[1].folder, start: suite.subjects[1].start, forward: suite.subjects[1].forward,
            undo: .missing(reason: "no down migration"), undoLocation: "chain/U2__step.sql"
        )
        #expect(NarrowingFixtures.ids(Self.chainSelection(["U2__step.sql"]).select(withoutUndo), rehearsed: true).first == "migration V2__step")
    }

    @Test func nothingChangedLeavesNoSubjectButThePolicy() throws {
        let suite = try NarrowingFixtures.chain(3)
        let selected = Self.chainSelection(["README.md", "other/V1__step.sql"]).select(suite)
        #expect(selected.subjects.isEmpty)
        #expect(selected.policy == suite.policy)
    }

    @Test func aChangedRehearseYAMLAtOrAboveTheChainRehearsesAllOfIt() throws {
        let suite = try NarrowingFixtures.chain(3)
        #expect(Self.chainSelection(["rehearse.yaml"]).select(suite) == suite)
        let above = ChangeSelection(changedPaths: ["/work/rehearse.yaml"], root: Self.chainRoot, rootDisplay: "chain")
        #expect(above.select(suite) == suite)
        let beside = ChangeSelection(changedPaths: ["/work/elsewhere/rehearse.yaml"], root: Self.chainRoot, rootDisplay: "chain")
        #expect(beside.select(suite).subjects.isEmpty)
    }

    @Test func aStepBeforeFromStaysForwardOnly() throws {
        let suite = try NarrowingFixtures.chain(5).window(from: "V4__step", to: nil)
        let selected = Self.chainSelection(["V2__step.sql"]).select(suite)
        #expect(NarrowingFixtures.ids(selected, rehearsed: true) == ["migration V4__step", "migration V5__step"])
        #expect(NarrowingFixtures.ids(selected, rehearsed: false) == ["migration V1__step", "migration V2__step", "migration V3__step"])
    }

    // MARK: The primary layout, read from real folders

    static func primary(_ changed: [String]) throws -> (all: RehearsalSuite, selected: RehearsalSuite) {
        let repository = try NarrowingFixtures.primaryRepository()
        defer { repository.remove() }
        let loaded = try NarrowingFixtures.load(repository)
        let suite = try #require(loaded.suites.first { $0.name == "shop" })
        let selection = ChangeSelection(
            changedPaths: changed.map { repository.root.appendingPathComponent($0).path }, root: loaded.root, rootDisplay: loaded.displayPath
        )
        return (suite, selection.select(suite))
    }

    @Test func aChangedInstallRehearsesWhatStartsFromOrComparesWithIt() throws {
        let (_, selected) = try Self.primary(["projects/shop/versions/v1.1.0/new-install/postgresql/schema/V1.1.0.001__Tables.sql"])
        #expect(NarrowingFixtures.ids(selected, rehearsed: true) == [
            "install v1.1.0", "upgrade v1.0.0 -> v1.1.0", "upgrade v1.1.0 -> v2.0.0",
        ])
        // What those start from or compare with is replayed forward; v2.0.0 -> v2.1.0 starts from install v2.0.0,
        // which did not change, so it is left out.
        #expect(NarrowingFixtures.ids(selected, rehearsed: false) == ["install v1.0.0", "install v2.0.0"])
    }

    @Test func anUpgradeChangeReachesTheUpgradesThatStartFromItsResult() throws {
        let (_, selected) = try Self.primary(["projects/shop/versions/v2.1.0/upgrade/from-v2.0.0/postgresql/rollback/U2.1.0.001__Change.sql"])
        #expect(NarrowingFixtures.ids(selected, rehearsed: true) == ["upgrade v2.0.0 -> v2.1.0", "upgrade v2.1.0 -> v2.2.0"])
        #expect(NarrowingFixtures.ids(selected, rehearsed: false) == ["install v2.0.0"])
    }

    @Test func aDeletedOrAddedFileInASubjectFolderChangesIt() throws {
        let (_, selected) = try Self.primary(["projects/shop/versions/v2.2.0/upgrade/from-v2.1.0/postgresql/validate/gone.sql"])
        #expect(NarrowingFixtures.ids(selected, rehearsed: true) == ["upgrade v2.1.0 -> v2.2.0"])
        #expect(NarrowingFixtures.ids(selected, rehearsed: false) == ["install v2.0.0", "upgrade v2.0.0 -> v2.1.0"])
    }

    @Test func aChangedFixtureRehearsesTheUpgradesThatLoadIt() throws {
        let (_, selected) = try Self.primary(["projects/shop/versions/v1.0.0/fixtures/postgresql/rows.sql"])
        #expect(NarrowingFixtures.ids(selected, rehearsed: true) == ["upgrade v1.0.0 -> v1.1.0"])
    }

    @Test func theProjectsOwnConfigurationRehearsesAllOfItAnotherProjectsDoesNot() throws {
        let (all, mine) = try Self.primary(["projects/shop/project-config.yaml"])
        #expect(mine == all)
        let (_, other) = try Self.primary(["projects/other/project-config.yaml", "projects/other/versions/v1.0.0/new-install/postgresql/schema/V1.0.0.001__A.sql"])
        #expect(other.subjects.isEmpty)
    }
}
