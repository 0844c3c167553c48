public import Foundation

/// Base64 decoding as proto3 JSON requires: standard or URL-safe alphabet, padding optional.
public enum Base64 {
    public static func decode(_ text: String) -> Data? {
        var normalized = ""
        normalized.reserveCapacity(text.utf8.count + 3)
        for character in text.unicodeScalars {
            switch character {
            case "-": normalized += "+"
            case "_": normalized += "/"
            default: normalized.unicodeScalars.append(character)
            }
        }
        // Foundation on Linux accepts '=' in the middle ("YQ=a"); padding may only end the text.
        let unpadded = normalized.utf8.prefix { $0 != UInt8(ascii: "=") }
        let padding = normalized.utf8.count - unpadded.count
        guard padding <= 2, normalized.utf8.suffix(padding).allSatisfy({ $0 == UInt8(ascii: "=") }) else { return nil }
        let remainder = normalized.utf8.count % 4
        if remainder == 1 { return nil }
        if remainder > 0, !normalized.hasSuffix("=") {
            normalized += String(repeating: "=", count: 4 - remainder)
        }
        return Data(base64Encoded: normalized)
    }
}
