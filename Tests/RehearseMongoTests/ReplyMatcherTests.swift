@testable import RehearseMongo
import Testing

@Suite struct ReplyMatcherTests {
    private func json(_ text: String) throws -> JSONValue { try ExtendedJSONScanner.parse(text) }

    private func mismatch(_ expected: String, _ actual: String) throws -> String? {
        ReplyMatcher.mismatch(expected: try json(expected), actual: try json(actual))
    }

    @Test func aReplyMayHoldMoreThanExpected() throws {
        #expect(try mismatch(#"{"ok": 1}"#, #"{"n": 3, "ok": 1.0}"#) == nil)
        #expect(try mismatch(#"{"cursor": {"firstBatch": [{"n": 3}]}}"#, #"{"cursor": {"id": 0, "firstBatch": [{"n": 3, "x": 1}]}, "ok": 1}"#) == nil)
    }

    @Test func numbersCompareByValueAcrossTypes() throws {
        #expect(try mismatch(#"{"n": 2}"#, #"{"n": {"$numberLong": "2"}}"#) == nil)
        #expect(try mismatch(#"{"n": {"$numberInt": "2"}}"#, #"{"n": 2.0}"#) == nil)
        #expect(try mismatch(#"{"n": 2}"#, #"{"n": 2.5}"#) == "at n: expected 2, got 2.5")
        #expect(try mismatch(#"{"n": 2}"#, #"{"n": "2"}"#) == #"at n: expected 2, got "2""#)
    }

    @Test func missingFieldsAndWrongShapesAreNamedByPath() throws {
        #expect(try mismatch(#"{"cursor": {"firstBatch": [{"n": 3}]}}"#, #"{"cursor": {"firstBatch": [{"n": 2}]}}"#) == "at cursor.firstBatch.0.n: expected 3, got 2")
        #expect(try mismatch(#"{"name": "x"}"#, #"{"ok": 1}"#)?.contains("the reply has no \"name\"") == true)
        #expect(try mismatch(#"{"a": {"b": 1}}"#, #"{"a": 1}"#) == "at a: expected a document, got 1")
    }

    @Test func arraysMatchElementByElement() throws {
        #expect(try mismatch(#"{"a": [1, 2]}"#, #"{"a": [1, 2, 3]}"#)?.contains("expected 2 elements, got 3") == true)
        #expect(try mismatch(#"{"a": [2, 1]}"#, #"{"a": [1, 2]}"#) == "at a.0: expected 2, got 1")
        #expect(try mismatch(#"{"a": []}"#, #"{"a": []}"#) == nil)
    }

    @Test func extendedJSONValuesMustBeEqual() throws {
        #expect(try mismatch(#"{"d": {"$date": "2024-01-01T00:00:00Z"}}"#, #"{"d": {"$date": "2024-01-01T00:00:00Z"}}"#) == nil)
        #expect(try mismatch(#"{"d": {"$date": "2024-01-01T00:00:00Z"}}"#, #"{"d": {"$date": "2024-01-02T00:00:00Z"}}"#) != nil)
        #expect(try mismatch(#"{"v": true}"#, #"{"v": false}"#) != nil)
        #expect(try mismatch(#"{"v": null}"#, #"{"v": null}"#) == nil)
    }
}
