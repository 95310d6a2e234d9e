/// The checks of DESIGN.md; the raw value is the word that ends a JUnit test case name.
public enum Check: String, Sendable, Hashable, Codable, CaseIterable {
    case forward
    case validate
    case idempotence
    case rollback
    case reversibility
    case reapply
    case dataPreservation = "data-preservation"
    case equivalence
    case policy
    case backup
    case safety
}
