/// Decides whether a command's reply contains a validator's `expect` document.
///
/// Documents match as a recursive subset (the reply may hold more fields); arrays must have the same length and
/// match element by element (with the same subset rule for documents inside them); numbers compare by value, so
/// `1`, `{"$numberLong": "1"}` and `1.0` are equal; other Extended JSON values (`{"$date": …}`, `{"$oid": …}`)
/// must be equal. Both sides are expected in relaxed Extended JSON as libbson writes it.
enum ReplyMatcher {
    /// nil when `actual` contains `expected`; otherwise where and how they differ, e.g.
    /// `at cursor.firstBatch.0.n: expected 3, got 2`.
    static func mismatch(expected: JSONValue, actual: JSONValue, path: String = "") -> String? {
        let location = path.isEmpty ? "the reply" : path
        if let expectedNumber = expected.numericValue {
            guard let actualNumber = actual.numericValue else {
                return "at \(location): expected \(expected.jsonText), got \(actual.jsonText)"
            }
            let equal = expectedNumber == actualNumber || (expectedNumber.isNaN && actualNumber.isNaN)
            return equal ? nil : "at \(location): expected \(expected.jsonText), got \(actual.jsonText)"
        }
        switch expected {
        case let .object(members) where isTypeWrapper(members):
            return expected == actual ? nil : "at \(location): expected \(expected.jsonText), got \(actual.jsonText)"
        case let .object(members):
            guard case .object = actual else {
                return "at \(location): expected a document, got \(actual.jsonText)"
            }
            for member in members {
                let childPath = path.isEmpty ? member.key : path + "." + member.key
                guard let value = actual[member.key] else {
                    return "at \(childPath): expected \(member.value.jsonText), but the reply has no \"\(member.key)\""
                }
                if let problem = mismatch(expected: member.value, actual: value, path: childPath) { return problem }
            }
            return nil
        case let .array(expectedElements):
            guard let actualElements = actual.elements else {
                return "at \(location): expected an array, got \(actual.jsonText)"
            }
            guard expectedElements.count == actualElements.count else {
                return "at \(location): expected \(expectedElements.count) element\(expectedElements.count == 1 ? "" : "s"), got \(actualElements.count): \(actual.jsonText)"
            }
            for (index, pair) in zip(expectedElements, actualElements).enumerated() {
                let childPath = path.isEmpty ? String(index) : "\(path).\(index)"
                if let problem = mismatch(expected: pair.0, actual: pair.1, path: childPath) { return problem }
            }
            return nil
        default:
            return expected == actual ? nil : "at \(location): expected \(expected.jsonText), got \(actual.jsonText)"
        }
    }

    /// `{"$date": …}`, `{"$oid": …}`, `{"$binary": …}`: one BSON value written as a document.
    private static func isTypeWrapper(_ members: [JSONMember]) -> Bool {
        guard let first = members.first, first.key.hasPrefix("$") else { return false }
        let wrappers: Set<String> = [
            "$oid", "$date", "$binary", "$uuid", "$numberDecimal", "$numberDouble", "$numberInt", "$numberLong",
            "$timestamp", "$regularExpression", "$symbol", "$code", "$minKey", "$maxKey", "$undefined", "$dbPointer", "$regex",
        ]
        return wrappers.contains(first.key)
    }
}
