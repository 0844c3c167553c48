internal import Foundation

/// An `application/x-www-form-urlencoded` body (the token request), decoded: `+` is a space,
/// `%XX` a byte. A name given twice is refused as absent (RFC 6749 §3.2: parameters must not repeat).
struct FormBody {
    private var values: [String: String] = [:]
    private var repeated: Set<String> = []

    init(_ text: String) {
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
            if values[name] != nil { repeated.insert(name) }
            values[name] = value
        }
    }

    subscript(name: String) -> String? {
        repeated.contains(name) ? nil : values[name]
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
