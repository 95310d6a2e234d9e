import ArgumentParser
import RehearseKit

/// A duration option: `500ms`, `90s`, `5m`, `1h`, or a number of seconds.
struct DurationArgument: ExpressibleByArgument, Sendable {
    let seconds: Double

    init(seconds: Double) {
        self.seconds = seconds
    }

    init?(argument: String) {
        guard let seconds = DurationText.seconds(argument) else { return nil }
        self.seconds = seconds
    }

    var defaultValueDescription: String { DurationText.format(seconds) }
}
