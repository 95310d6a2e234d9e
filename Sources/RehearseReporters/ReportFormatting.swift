import Foundation

/// Number and date spellings shared by the reporters, fixed so that output is stable across locales.
enum ReportFormatting {
    /// `12.345`: seconds with three decimals, as JUnit's `time` attribute wants (never exponent notation).
    static func junitSeconds(_ seconds: Double) -> String {
        String(format: "%.3f", locale: nil, max(0, seconds.isFinite ? seconds : 0))
    }

    /// `0.42s`, `12.3s`, `2m05s`: short human durations for the console.
    static func humanSeconds(_ seconds: Double) -> String {
        let value = max(0, seconds.isFinite ? seconds : 0)
        if value < 10 { return String(format: "%.2fs", locale: nil, value) }
        if value < 60 { return String(format: "%.1fs", locale: nil, value) }
        let whole = Int(value.rounded())
        return String(format: "%dm%02ds", locale: nil, whole / 60, whole % 60)
    }

    /// `2025-01-31T09:30:00`: JUnit's timestamp, in UTC without a zone suffix (the common JUnit schema's pattern).
    static func junitTimestamp(_ date: Date) -> String {
        utcComponents(date, fractional: false)
    }

    /// `2025-01-31T09:30:00.250Z`: ISO 8601 in UTC with milliseconds, for JSON.
    static func isoTimestamp(_ date: Date) -> String {
        utcComponents(date, fractional: true) + "Z"
    }

    /// Parses ``isoTimestamp(_:)``'s spelling (milliseconds optional).
    static func parseISOTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    private static func utcComponents(_ date: Date, fractional: Bool) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded(.down)
        let wholeSeconds = Date(timeIntervalSince1970: (milliseconds / 1000).rounded(.down))
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: wholeSeconds)
        var text = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d", locale: nil,
            parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!
        )
        if fractional {
            let millis = Int(milliseconds.truncatingRemainder(dividingBy: 1000) + 1000) % 1000
            text += String(format: ".%03d", locale: nil, millis)
        }
        return text
    }
}
