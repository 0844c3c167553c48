/// Caller input as it may appear in an error message or log line: in single quotes, at most a
/// short prefix, with control, invisible and direction-changing characters escaped as `\u{…}`, so
/// that a hostile value can neither bloat a status trailer (a 1 MiB ID must not come back as a
/// 1 MiB message, which clients refuse) nor forge or hide text in what a person reads.
public enum QuotedInput {
    /// The default prefix: long enough for every valid ID, CID or transaction ID.
    public static let defaultLimit = 128

    /// `value` quoted; cut after `limit` characters, saying how many UTF-8 bytes it had.
    public static func quote(_ value: some StringProtocol, limit: Int = defaultLimit) -> String {
        var text = "'"
        var count = 0
        for scalar in value.unicodeScalars {
            guard count < limit else {
                return text + "'… (\(value.utf8.count) bytes)"
            }
            text += escaped(scalar)
            count += 1
        }
        return text + "'"
    }

    /// A whole message cut to at most `limit` UTF-8 bytes, its control and invisible characters
    /// escaped as `quote` does (quotes left as they are): the last line of defence for messages
    /// that quote input without `quote`.
    public static func bounded(_ message: String, limit: Int = 512) -> String {
        var text = ""
        var bytes = 0
        for scalar in message.unicodeScalars {
            let piece = scalar == "\n" ? " " : invisibleEscaped(scalar)
            guard bytes + piece.utf8.count <= limit else { return text + "… (message cut at \(limit) bytes)" }
            text += piece
            bytes += piece.utf8.count
        }
        return text
    }

    /// Quotes and backslashes escaped too, so that a quoted value cannot seem to end early.
    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x27: "\\'"
        case 0x5C: "\\\\"
        default: invisibleEscaped(scalar)
        }
    }

    private static func invisibleEscaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2069, 0xFEFF, 0xFFF9...0xFFFB:
            return "\\u{\(String(scalar.value, radix: 16))}"
        default:
            return String(scalar)
        }
    }
}
