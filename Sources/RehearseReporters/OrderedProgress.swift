import RehearseCore

/// Holds back results that finish early until every result before them in plan order has been released.
///
/// Suites are rehearsed one after another, so a result of a later suite means the earlier suites will report
/// nothing more: their missing entries are passed over rather than waited for. Not thread-safe; the console
/// reporter calls it under its lock.
struct OrderedProgress {
    /// A result ready to print, with its place in the plan (nil for one the plan does not list).
    struct Released {
        let position: Int?
        let result: CheckResult
        let suite: String
    }

    let order: PlanOrder
    /// The first position not yet released.
    private(set) var next = 0
    private var waiting: [Int: Released] = [:]

    init(_ order: PlanOrder) {
        self.order = order
    }

    /// Takes `result` in; returns what can be printed now, in order.
    mutating func accept(_ result: CheckResult, suite: String) -> [Released] {
        guard let position = order.position(of: result, suite: suite) else {
            return [Released(position: nil, result: result, suite: suite)]
        }
        guard position >= next, waiting[position] == nil else {
            return [Released(position: position, result: result, suite: suite)]
        }
        var released: [Released] = []
        if let first = order.firstPosition(of: suite), first > next {
            released += advance(to: first)
        }
        waiting[position] = Released(position: position, result: result, suite: suite)
        while let ready = waiting.removeValue(forKey: next) {
            released.append(ready)
            next += 1
        }
        return released
    }

    /// Everything still held, in order: the run is over.
    mutating func drain() -> [Released] {
        advance(to: order.total)
    }

    /// The entry the console waits for, when it waits.
    var head: PlanOrder.Entry? {
        next < order.total ? order.entries[next] : nil
    }

    /// Passes over the entries before `position` that never came, releasing the held ones among them.
    private mutating func advance(to position: Int) -> [Released] {
        var released: [Released] = []
        while next < position {
            if let ready = waiting.removeValue(forKey: next) { released.append(ready) }
            next += 1
        }
        return released
    }
}
