/// Where migrations come from: one repository layout (after golang-migrate's `source.Driver` and Sqitch's Plan).
///
/// A source reads a folder into a layout-neutral ``LoadedRepository`` — subjects, their scripts with each file's
/// execution mode, and where each subject starts. It reads files but never runs them and needs no server.
/// Adding a layout is one new type conforming to this protocol, listed in ``MigrationSources/all``.
public protocol MigrationSource: Sendable {
    /// The `--layout` name (`flyway`, `golang-migrate`, …).
    static var name: String { get }
    /// What detection looks for, for the message listing the layouts (`V<version>__<desc>.sql files`).
    static var signature: String { get }
    /// Whether `folder` itself holds this layout (not its sub-folders).
    static func matches(_ folder: RepositoryFolder) -> Bool

    init()

    /// Reads the repository at `folder`.
    ///
    /// - Parameter config: `rehearse.yaml`, when the repository has one.
    /// - Throws: ``InputError`` naming the file (and line) that does not parse, and the expected form;
    ///   ``InputErrors`` when several files are wrong.
    func load(_ folder: RepositoryFolder, config: RehearseConfig?) throws -> LoadedRepository
}
