import Foundation

/// Durations as people write them on a command line: `500ms`, `90s`, `5m`, `1h` (a bare number is seconds).
public enum DurationText {
    /// Seconds for `text`, or nil when it is not a duration.
    public static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count)
            // "5ms" also ends in "s": only a number may stand before the unit.
            guard let value = Double(number), value >= 0, value.isFinite, number.allSatisfy({ $0.isNumber || $0 == "." }) else { continue }
            return value * scale
        }
        guard let value = Double(trimmed), value >= 0, value.isFinite, trimmed.allSatisfy({ $0.isNumber || $0 == "." }) else { return nil }
        return value
    }

    /// The shortest exact spelling: `5m`, `1h`, `90s`, `500ms`.
    public static func format(_ seconds: Double) -> String {
        let milliseconds = Int((seconds * 1000).rounded())
        if milliseconds % 1000 != 0 { return "\(milliseconds)ms" }
        let whole = milliseconds / 1000
        if whole != 0, whole % 3600 == 0 { return "\(whole / 3600)h" }
        if whole != 0, whole % 60 == 0 { return "\(whole / 60)m" }
        return "\(whole)s"
    }
}
