internal import Crypto
public import Foundation

/// A sha2-256 multihash (code 0x12, 32-byte digest), the only hash function the store writes;
/// other functions parse but cannot be verified.
public struct Multihash: Hashable, Sendable {
    public static let sha2_256: UInt64 = 0x12

    public let code: UInt64
    public let digest: [UInt8]

    public init(code: UInt64, digest: [UInt8]) {
        self.code = code
        self.digest = digest
    }

    /// The sha2-256 multihash of `bytes`.
    public static func sha256(_ bytes: some DataProtocol) -> Multihash {
        Multihash(code: sha2_256, digest: Array(SHA256.hash(data: bytes)))
    }

    /// `varint(code) varint(length) digest`.
    public var bytes: [UInt8] {
        var bytes = Varint.encode(code)
        Varint.append(UInt64(digest.count), to: &bytes)
        return bytes + digest
    }

    /// Reads a multihash at `index`, advancing it past the digest.
    static func read(_ bytes: [UInt8], at index: inout Int) throws(ContentError) -> Multihash {
        let code = try Varint.read(bytes, at: &index)
        let length = try Varint.read(bytes, at: &index)
        guard length <= 128 else { throw .invalidMultihash("digest length \(length) exceeds 128") }
        guard bytes.count - index >= Int(length) else {
            throw .invalidMultihash("digest of \(length) bytes is truncated to \(bytes.count - index)")
        }
        if code == sha2_256 && length != 32 {
            throw .invalidMultihash("sha2-256 digest must be 32 bytes, not \(length)")
        }
        let digest = Array(bytes[index..<index + Int(length)])
        index += Int(length)
        return Multihash(code: code, digest: digest)
    }

    /// True when `data` hashes to this multihash; throws for a function the store cannot compute.
    public func matches(_ data: some DataProtocol) throws(ContentError) -> Bool {
        guard code == Self.sha2_256 else {
            throw .invalidMultihash("hash function 0x\(String(code, radix: 16)) is not supported")
        }
        return Array(SHA256.hash(data: data)) == digest
    }
}
