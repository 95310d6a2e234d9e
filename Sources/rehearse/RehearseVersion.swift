/// The version `rehearse --version` prints and reports record; the release tag the README's Package.swift
/// snippet names (`from: "0.2.0"`).
enum RehearseVersion {
    static let current = "0.2.0"
}
