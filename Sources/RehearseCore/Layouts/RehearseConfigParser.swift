/// Reads `rehearse.yaml` (DESIGN.md, "rehearse.yaml").
public enum RehearseConfigParser {
    /// The config in `folder`, or nil when it has none.
    ///
    /// - Throws: ``InputError`` naming the line of a malformed value or an unknown key (with the closest known key).
    public static func load(in folder: RepositoryFolder) throws -> RehearseConfig? {
        let file = folder.child("rehearse.yaml")
        guard file.contains("") && folder.contains("rehearse.yaml") else { return nil }
        return RehearseConfig(displayPath: file.display)
    }
}
