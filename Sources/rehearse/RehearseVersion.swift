/// The version `rehearse --version` prints and reports record.
enum RehearseVersion {
    static let current = "0.1.0"
}
