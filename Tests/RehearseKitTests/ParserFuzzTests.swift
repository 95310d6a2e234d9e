import Foundation
import Testing
import RehearseKit
import RehearsePostgres
import RehearseMongo

/// Seeded random mutations of the samples' own files through the three parsers that read user input: the
/// project config, Extended JSON and SQL. Each must either accept the text or throw an ``InputError`` — never
/// crash (which would end this process), hang, or throw anything else. Bounded in count and time.
@Suite struct ParserFuzzTests {
    static let samples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sample-migrations")

    /// CI runs 3,000 mutations per parser within 15 s; `REHEARSE_FUZZ_ITERATIONS`, `REHEARSE_FUZZ_SECONDS` and
    /// `REHEARSE_FUZZ_SEED` run it longer or elsewhere (`REHEARSE_FUZZ_ITERATIONS=1000000 REHEARSE_FUZZ_SECONDS=3600
    /// swift test --filter ParserFuzzTests`).
    static let environment = ProcessInfo.processInfo.environment
    static let iterations = environment["REHEARSE_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 3000
    static let seconds = environment["REHEARSE_FUZZ_SECONDS"].flatMap(Double.init) ?? 15

    static func seed(_ fixed: UInt64) -> UInt64 {
        environment["REHEARSE_FUZZ_SEED"].flatMap { UInt64($0) }.map { $0 ^ fixed } ?? fixed
    }

    /// SplitMix64: small, seedable, the same sequence on every platform.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Fragments that matter to the three grammars, plus bytes that are not UTF-8.
    static let fragments: [[UInt8]] = [
        "{", "}", "[", "]", "\"", "'", ":", ",", "\n", "  ", "\t", "$", "$$", "$tag$", ";", "--", "/*", "*/", "\\", "E'",
        "BEGIN;", "COMMIT;", "\\set x 1", "COPY t FROM STDIN;", "{\"$oid\": \"", "{\"$numberLong\": \"", "{\"$date\": ", "null",
        "- ", "? ", "&anchor ", "*anchor", "!!binary ", "%YAML 1.2\n", "---\n", "...\n", "v1.0.0", "type: ", "\u{FEFF}", "é", "\u{0}",
    ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80]]

    static func mutate(_ bytes: [UInt8], using generator: inout Generator) -> [UInt8] {
        var result = bytes
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            let position = result.isEmpty ? 0 : Int.random(in: 0...result.count, using: &generator)
            switch Int.random(in: 0..<5, using: &generator) {
            case 0 where !result.isEmpty:
                let end = min(result.count, position + Int.random(in: 1...16, using: &generator))
                if position < end { result.removeSubrange(position..<end) }
            case 1:
                result.insert(contentsOf: fragments.randomElement(using: &generator) ?? [], at: position)
            case 2 where !result.isEmpty:
                let start = Int.random(in: 0..<result.count, using: &generator)
                let slice = result[start..<min(result.count, start + Int.random(in: 1...40, using: &generator))]
                result.insert(contentsOf: slice, at: position)
            case 3 where position < result.count:
                result[position] = UInt8.random(in: 0...255, using: &generator)
            default:
                result = Array(result.prefix(position))
            }
        }
        return result
    }

    static func files(_ suffix: String) -> [URL] {
        let enumerator = FileManager.default.enumerator(at: samples, includingPropertiesForKeys: nil)
        var found: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if url.lastPathComponent.hasSuffix(suffix) { found.append(url) }
        }
        return found.sorted { $0.path < $1.path }
    }

    /// Runs `parse` on mutations of each sample until `iterations` or `seconds` run out; returns how many ran.
    static func fuzz(_ suffix: String, seed: UInt64, iterations: Int, seconds: TimeInterval, parse: ([UInt8], Int) throws -> Void) throws -> Int {
        let sources = try files(suffix).map { try Array(Data(contentsOf: $0)) }
        #expect(!sources.isEmpty, "no sample files ending in \(suffix)")
        var generator = Generator(state: seed)
        let deadline = Date().addingTimeInterval(seconds)
        var count = 0
        while count < iterations, Date() < deadline {
            guard let source = sources.randomElement(using: &generator) else { break }
            let input = mutate(source, using: &generator)
            do {
                try parse(input, count)
            } catch is InputError {
                // The one acceptable refusal.
            } catch {
                Issue.record("iteration \(count) (seed \(seed)) threw \(type(of: error)): \(error)\ninput: \(String(decoding: input.prefix(400), as: UTF8.self))")
            }
            count += 1
        }
        return count
    }

    @Test func projectConfigParserOnlyAcceptsOrReportsInputErrors() throws {
        let parser = ProjectConfigParser(displayPath: "project-config.yaml")
        let count = try Self.fuzz("project-config.yaml", seed: Self.seed(0xC0FF_EE01), iterations: Self.iterations, seconds: Self.seconds) { bytes, _ in
            // The loader turns undecodable bytes into an InputError before the parser sees text.
            guard let text = String(validating: bytes, as: UTF8.self) else { throw InputError(file: "project-config.yaml", "not UTF-8") }
            _ = try parser.parse(text)
        }
        #expect(count >= 200)
    }

    @Test func extendedJSONParserOnlyAcceptsOrReportsInputErrors() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-fuzz-json-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let parser = MongoScriptParser()
        let count = try Self.fuzz(".json", seed: Self.seed(0xC0FF_EE02), iterations: Self.iterations, seconds: Self.seconds) { bytes, index in
            let url = folder.appendingPathComponent("\(index % 16)-fuzz.json")
            try Data(bytes).write(to: url)
            for role in [ScriptFile.Role.forward, .validator] {
                let file = ScriptFile(url: url, displayPath: "fuzz/001-fuzz.json", role: role, phase: "migrations", number: nil, summary: "fuzz")
                _ = try parser.prepare(file)
            }
        }
        #expect(count >= 200)
    }

    @Test func sqlParserOnlyAcceptsOrReportsInputErrors() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-fuzz-sql-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let parser = PostgresScriptParser()
        let count = try Self.fuzz(".sql", seed: Self.seed(0xC0FF_EE03), iterations: Self.iterations, seconds: Self.seconds) { bytes, index in
            let url = folder.appendingPathComponent("V1.0.0.\(index % 16)__fuzz.sql")
            try Data(bytes).write(to: url)
            let file = ScriptFile(url: url, displayPath: "fuzz/V1.0.0.001__fuzz.sql", role: .forward, phase: "schema", number: nil, summary: "fuzz")
            let prepared = try parser.prepare(file)
            // Whatever was accepted points inside the file.
            for statement in prepared.statements {
                #expect(statement.line >= 1 && statement.column >= 1)
            }
        }
        #expect(count >= 200)
    }
}
