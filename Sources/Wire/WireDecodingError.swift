/// Why a byte sequence is not a valid encoding of the expected message, and where.
///
/// `path` names the field chain from the outermost message, e.g.
/// `medledger.v1.Block.data.transactions[3]`, so that a bad byte can be traced to its field.
public struct WireDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of malformed input the decoder rejects.
    public enum Kind: Sendable, Equatable {
        /// The input ended inside a tag, a value or a length-delimited body.
        case truncated
        /// A varint ran past ten bytes (or its tenth byte set bits above 64).
        case varintTooLong
        /// A tag carried a wire type number that protobuf does not define (6 or 7).
        case invalidWireType(UInt8)
        /// A tag carried field number 0 or one above 2^29 - 1.
        case invalidFieldNumber(UInt64)
        /// A known field arrived with a wire type its declared type cannot have.
        case wrongWireType(field: Int, expected: WireType, actual: WireType)
        /// A length prefix claims more bytes than remain in the enclosing message.
        case lengthPastEnd(length: UInt64, remaining: Int)
        /// Nested messages (or groups) went deeper than the limit.
        case nestingTooDeep(limit: Int)
        /// The whole input is larger than the configured limit.
        case messageTooLarge(size: Int, limit: Int)
        /// A `string` field holds bytes that are not valid UTF-8.
        case invalidUTF8
        /// A packed fixed-width field's length is not a multiple of the element size.
        case misalignedPackedLength(length: Int, elementSize: Int)
        /// An end-group marker without a matching start, or with another field number.
        case unmatchedEndGroup(field: Int)
    }

    public var kind: Kind
    /// Field chain from the outermost message; the first element is the message type name.
    public var path: [String]
    /// Byte offset in the input where the problem was detected.
    public var offset: Int

    public init(_ kind: Kind, path: [String] = [], offset: Int) {
        self.kind = kind
        self.path = path
        self.offset = offset
    }

    /// The same error seen from one level further out: `component` is prepended to the path.
    public func within(_ component: String) -> WireDecodingError {
        var copy = self
        copy.path.insert(component, at: 0)
        return copy
    }

    public var description: String {
        let location = path.isEmpty ? "" : joinedPath + ": "
        return "\(location)\(kindDescription) (at byte \(offset))"
    }

    private var joinedPath: String {
        var text = ""
        for component in path {
            if component.hasPrefix("[") || text.isEmpty {
                text += component
            } else {
                text += "." + component
            }
        }
        return text
    }

    private var kindDescription: String {
        switch kind {
        case .truncated: "input truncated"
        case .varintTooLong: "varint longer than 10 bytes"
        case .invalidWireType(let type): "invalid wire type \(type)"
        case .invalidFieldNumber(let number): "invalid field number \(number)"
        case .wrongWireType(let field, let expected, let actual):
            "field \(field) has wire type \(actual), expected \(expected)"
        case .lengthPastEnd(let length, let remaining):
            "length \(length) runs past the end (\(remaining) bytes remain)"
        case .nestingTooDeep(let limit): "nesting deeper than \(limit) levels"
        case .messageTooLarge(let size, let limit): "message of \(size) bytes exceeds the limit of \(limit) bytes"
        case .invalidUTF8: "string field is not valid UTF-8"
        case .misalignedPackedLength(let length, let elementSize):
            "packed length \(length) is not a multiple of \(elementSize)"
        case .unmatchedEndGroup(let field): "unmatched end-group marker for field \(field)"
        }
    }
}

/// Limits applied while decoding untrusted bytes.
public struct DecodingOptions: Sendable, Equatable {
    /// Largest accepted input, in bytes (default 4 MiB, gRPC's default message limit).
    public var maxMessageSize: Int
    /// Deepest accepted nesting of messages and groups (default 100).
    public var maxDepth: Int

    public init(maxMessageSize: Int = 4 * 1024 * 1024, maxDepth: Int = 100) {
        self.maxMessageSize = maxMessageSize
        self.maxDepth = maxDepth
    }

    public static let `default` = DecodingOptions()
}
