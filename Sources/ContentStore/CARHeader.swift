internal import Wire

/// The CAR v1 header, `{roots: [CID], version: 1}`, in the dag-cbor subset it needs: a two-entry
/// map in canonical key order, an array of CIDs as tag 42 over bytes with a 0x00 prefix, a small
/// unsigned integer. Anything else is rejected.
public struct CARHeader: Hashable, Sendable {
    public var roots: [CID]

    public init(roots: [CID]) {
        self.roots = roots
    }

    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        CBOR.head(major: 5, 2, into: &out)
        CBOR.text("roots", into: &out)
        CBOR.head(major: 4, UInt64(roots.count), into: &out)
        for root in roots {
            CBOR.head(major: 6, 42, into: &out)
            let bytes = [0] + root.bytes
            CBOR.head(major: 2, UInt64(bytes.count), into: &out)
            out += bytes
        }
        CBOR.text("version", into: &out)
        CBOR.head(major: 0, 1, into: &out)
        return out
    }

    public init(decoding bytes: [UInt8]) throws(ContentError) {
        var reader = CBOR.Reader(bytes: bytes)
        let entries = try reader.expect(major: 5, "header map")
        var roots: [CID]?
        var version: UInt64?
        for _ in 0..<entries {
            let key = try reader.text()
            switch key {
            case "roots" where roots == nil:
                let count = try reader.expect(major: 4, "roots array")
                guard count <= 1024 else { throw .invalidCAR("\(count) roots") }
                var parsed: [CID] = []
                for _ in 0..<count {
                    guard try reader.expect(major: 6, "CID tag") == 42 else { throw .invalidCAR("root is not tag 42") }
                    let length = try reader.expect(major: 2, "CID bytes")
                    guard length <= 256 else { throw .invalidCAR("root CID of \(length) bytes") }
                    let cidBytes = try reader.take(Int(length))
                    guard cidBytes.first == 0 else { throw .invalidCAR("tag-42 CID lacks the 0x00 prefix") }
                    parsed.append(try CID(bytes: Array(cidBytes.dropFirst())))
                }
                roots = parsed
            case "version" where version == nil:
                version = try reader.expect(major: 0, "version")
            default:
                throw .invalidCAR("unexpected header key \(QuotedInput.quote(key))")
            }
        }
        guard reader.atEnd else { throw .invalidCAR("trailing bytes after the header") }
        guard version == 1 else { throw .invalidCAR("version \(version.map(String.init) ?? "missing"), expected 1") }
        guard let roots else { throw .invalidCAR("header has no roots") }
        self.init(roots: roots)
    }
}

/// Just enough CBOR for the CAR header.
enum CBOR {
    static func head(major: UInt8, _ value: UInt64, into out: inout [UInt8]) {
        let type = major << 5
        switch value {
        case 0..<24: out.append(type | UInt8(value))
        case 24..<0x100: out += [type | 24, UInt8(value)]
        case 0x100..<0x10000: out += [type | 25, UInt8(value >> 8), UInt8(value & 0xff)]
        case 0x10000..<0x1_0000_0000: out.append(type | 26); out += (0..<4).reversed().map { UInt8((value >> ($0 * 8)) & 0xff) }
        default: out.append(type | 27); out += (0..<8).reversed().map { UInt8((value >> ($0 * 8)) & 0xff) }
        }
    }

    static func text(_ string: String, into out: inout [UInt8]) {
        head(major: 3, UInt64(string.utf8.count), into: &out)
        out += Array(string.utf8)
    }

    struct Reader {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func take(_ count: Int) throws(ContentError) -> ArraySlice<UInt8> {
            guard count >= 0, bytes.count - index >= count else { throw .invalidCAR("header is truncated") }
            defer { index += count }
            return bytes[index..<index + count]
        }

        /// Reads a head of the given major type and returns its argument.
        mutating func expect(major: UInt8, _ what: String) throws(ContentError) -> UInt64 {
            let initial = try take(1).first!
            guard initial >> 5 == major else { throw .invalidCAR("expected \(what) in the header") }
            let info = initial & 0x1f
            switch info {
            case 0..<24: return UInt64(info)
            case 24...27:
                let width = 1 << Int(info - 24)
                let value = try take(width).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                return value
            default: throw .invalidCAR("indefinite or reserved length in the header")
            }
        }

        mutating func text() throws(ContentError) -> String {
            let length = try expect(major: 3, "text key")
            guard length <= 64 else { throw .invalidCAR("header key too long") }
            return String(decoding: try take(Int(length)), as: UTF8.self)
        }
    }
}
