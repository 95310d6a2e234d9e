/// pg_dump 15.14, 16.10, 17.6 and later open and close a plain dump with `\restrict <key>` and `\unrestrict <key>`,
/// psql meta-commands that only stop a malicious server from smuggling its own meta-commands into the restore.
///
/// They carry no SQL, so a baseline (a dump loaded fresh) has them blanked before it is split; every other
/// backslash command stays an input error. Blanking keeps the line breaks, so positions in the file do not move.
enum PgDumpRestrictLines {
    static func blanked(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        var offset = 0
        while let backslash = SQLLexer(bytes: bytes).firstBackslashOutsideLiterals(from: offset) {
            var end = backslash
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            let words = String(decoding: bytes[backslash..<end], as: UTF8.self).split(whereSeparator: \.isWhitespace)
            if words.count <= 2, let command = words.first, command == "\\restrict" || command == "\\unrestrict" {
                for index in backslash..<end where bytes[index] != UInt8(ascii: "\r") { bytes[index] = UInt8(ascii: " ") }
            } else {
                // Left for the meta-command check to report.
                return bytes
            }
            offset = end
        }
        return bytes
    }
}
