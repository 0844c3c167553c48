public import Foundation
internal import Wire

/// A content identifier (https://github.com/multiformats/cid): version, content codec and multihash.
///
/// CIDv0 is implicitly dag-pb + sha2-256 and prints as bare base58btc (`Qm…`); CIDv1 prints in
/// multibase, base32 lower case (`b…`) by default.
public struct CID: Hashable, Sendable, CustomStringConvertible {
    /// Multicodec codes of the block formats the store understands.
    public enum Codec: UInt64, Sendable {
        case raw = 0x55
        case dagPB = 0x70
    }

    public let version: Int
    public let codec: UInt64
    public let multihash: Multihash

    /// A CIDv0; the multihash must be sha2-256.
    public static func v0(_ multihash: Multihash) -> CID {
        CID(version: 0, codec: Codec.dagPB.rawValue, multihash: multihash)
    }

    /// A CIDv1 for `codec`.
    public static func v1(_ codec: Codec, _ multihash: Multihash) -> CID {
        CID(version: 1, codec: codec.rawValue, multihash: multihash)
    }

    /// The CID of `block` under the given version and codec (CIDv0 only for dag-pb).
    public static func of(_ block: some DataProtocol, version: Int, codec: Codec) -> CID {
        let hash = Multihash.sha256(block)
        return version == 0 && codec == .dagPB ? .v0(hash) : .v1(codec, hash)
    }

    private init(version: Int, codec: UInt64, multihash: Multihash) {
        self.version = version
        self.codec = codec
        self.multihash = multihash
    }

    /// The known codec, or nil for one the store does not interpret.
    public var knownCodec: Codec? { Codec(rawValue: codec) }

    /// Binary form: the multihash for v0; `varint(1) varint(codec) multihash` for v1.
    public var bytes: [UInt8] {
        if version == 0 { return multihash.bytes }
        var bytes = Varint.encode(1)
        Varint.append(codec, to: &bytes)
        return bytes + multihash.bytes
    }

    /// The default string form: `Qm…` for v0, base32 `b…` for v1.
    public var description: String {
        version == 0 ? Base58.encode(bytes) : "b" + Base32.encode(bytes)
    }

    /// The v1 form in base58btc multibase (`z…`).
    public var base58btcDescription: String { "z" + Base58.encode(bytes) }

    /// This CID as v1 (same codec and hash).
    public var v1: CID { CID(version: 1, codec: codec, multihash: multihash) }

    /// Parses a CID string: bare base58btc `Qm…` (v0), or a v1 in multibase `b…`/`B…` (base32,
    /// lower or upper case), `z…` (base58btc) or `f…`/`F…` (base16).
    public init(_ text: String) throws(ContentError) {
        let fail = { (reason: String) in ContentError.invalidCID(text, reason: reason) }
        guard let first = text.first else { throw fail("empty string") }
        if text.count == 46 && text.hasPrefix("Qm") {
            guard let bytes = Base58.decode(Substring(text)) else { throw fail("not base58btc") }
            try self.init(bytes: bytes, text: text)
            return
        }
        if text.hasPrefix("Qm") {
            throw fail("a CIDv0 is 46 characters of base58btc, not \(text.count)")
        }
        let decoded: [UInt8]?
        let base: String
        switch first {
        case "b": (decoded, base) = (Base32.decode(text.dropFirst()), "base32")
        case "B": (decoded, base) = (text.dropFirst().allSatisfy { !$0.isLowercase } ? Base32.decode(Substring(text.dropFirst().lowercased())) : nil, "base32upper")
        case "z": (decoded, base) = (Base58.decode(text.dropFirst()), "base58btc")
        case "f": (decoded, base) = (Base16.decode(text.dropFirst(), upper: false), "base16")
        case "F": (decoded, base) = (Base16.decode(text.dropFirst(), upper: true), "base16upper")
        default:
            throw fail("unsupported multibase prefix \(QuotedInput.quote(String(first), limit: 8)) (expected Qm…, or multibase b, B, z, f or F)")
        }
        guard let bytes = decoded else { throw fail("not valid \(base)") }
        try self.init(bytes: bytes, text: text)
        guard version == 1 else { throw fail("a CIDv0 must be written as bare base58btc") }
    }

    /// Parses the binary form; the whole input must be one CID.
    public init(bytes: [UInt8]) throws(ContentError) {
        try self.init(bytes: bytes, text: "0x" + bytes.map { String(format2: $0) }.joined())
    }

    private init(bytes: [UInt8], text: String) throws(ContentError) {
        var index = 0
        let parsed = try Self.read(bytes, at: &index, text: text)
        guard index == bytes.count else {
            throw .invalidCID(text, reason: "\(bytes.count - index) trailing bytes")
        }
        self = parsed
    }

    /// Reads one binary CID at `index` (used by CAR sections), advancing past it.
    static func read(_ bytes: [UInt8], at index: inout Int, text: String? = nil) throws(ContentError) -> CID {
        let label = text ?? "binary CID"
        if bytes.count - index >= 2 && bytes[index] == 0x12 && bytes[index + 1] == 0x20 {
            let hash = try Multihash.read(bytes, at: &index)
            return .v0(hash)
        }
        let version: UInt64
        let codec: UInt64
        do {
            version = try Varint.read(bytes, at: &index)
            codec = try Varint.read(bytes, at: &index)
        } catch {
            throw .invalidCID(label, reason: "\(error)")
        }
        guard version == 1 else { throw .invalidCID(label, reason: "unsupported CID version \(version)") }
        let hash: Multihash
        do {
            hash = try Multihash.read(bytes, at: &index)
        } catch {
            throw .invalidCID(label, reason: "\(error)")
        }
        return CID(version: 1, codec: codec, multihash: hash)
    }
}

extension String {
    init(format2 byte: UInt8) {
        let hex = String(byte, radix: 16)
        self = hex.count == 1 ? "0" + hex : hex
    }
}
