internal import Crypto
internal import Foundation

/// Lowercase hex SHA-256, as tx IDs are written.
enum SHA256Hex {
    static func digest(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
