import Foundation

/// Credentials in `scheme://user:password@host/…` URLs, found by structure rather than by parsing, so that a
/// malformed URL cannot leak its password in pieces.
///
/// The credentials are everything between `://` and the *last* `@` before the query: a password with an
/// unencoded `@` or `/` (`p@ss/w0rd@x`) still counts as one password.
public enum ConnectionURL {
    /// `text` with the credentials of every URL in it replaced by `***`.
    ///
    /// A URL runs from its `scheme://` to the next whitespace or quote; everything up to its last `@` is masked.
    public static func masked(_ text: String) -> String {
        guard text.contains("://") else { return text }
        var result = ""
        var rest = Substring(text)
        while let scheme = rest.range(of: "://") {
            result += rest[..<scheme.upperBound]
            let afterScheme = rest[scheme.upperBound...]
            let end = afterScheme.firstIndex { $0.isWhitespace || $0 == "\"" || $0 == "'" || $0 == "`" } ?? afterScheme.endIndex
            let token = afterScheme[..<end]
            if let at = token.lastIndex(of: "@") {
                result += "***" + token[at...]
            } else {
                result += token
            }
            rest = afterScheme[end...]
        }
        return result + rest
    }

    /// The URL with its credentials split at the last `@` before the query and percent-encoded, so that
    /// `postgresql://u:p@ss/w0rd@host/db` reaches the driver as user `u`, password `p@ss/w0rd`, host `host`.
    ///
    /// Credentials that are already percent-encoded stay as they are; credentials with a malformed escape
    /// (`Pa%zz`) are passed through for the driver to reject. A string without `://` (a conninfo string) is
    /// returned unchanged.
    public static func normalizingCredentials(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let afterScheme = url[scheme.upperBound...]
        let queryStart = afterScheme.firstIndex(of: "?") ?? afterScheme.endIndex
        guard let at = afterScheme[..<queryStart].lastIndex(of: "@") else { return url }
        let credentials = afterScheme[..<at]
        let colon = credentials.firstIndex(of: ":")
        let user = colon.map { credentials[..<$0] } ?? credentials
        let password = colon.map { credentials[credentials.index(after: $0)...] }
        guard let decodedUser = String(user).removingPercentEncoding,
              let decodedPassword = password.map({ String($0).removingPercentEncoding }) ?? Optional("")
        else { return url }
        var encoded = encode(decodedUser)
        if password != nil { encoded += ":" + encode(decodedPassword) }
        return String(url[..<scheme.upperBound]) + encoded + String(afterScheme[at...])
    }

    /// RFC 3986 unreserved characters stay; everything else is percent-encoded.
    private static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        var result = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80, allowed.contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }
}
