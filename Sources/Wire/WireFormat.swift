/// The six protobuf wire types (3 and 4 are the deprecated group markers, skipped but never produced).
public enum WireType: UInt8, Sendable, Equatable, CustomStringConvertible {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5

    public var description: String {
        switch self {
        case .varint: "varint"
        case .fixed64: "fixed64"
        case .lengthDelimited: "length-delimited"
        case .startGroup: "start-group"
        case .endGroup: "end-group"
        case .fixed32: "fixed32"
        }
    }
}

/// A decoded field key: field number and wire type.
@frozen
public struct FieldTag: Sendable, Equatable {
    public let number: Int
    public let wireType: WireType

    @inlinable
    public init(number: Int, wireType: WireType) {
        self.number = number
        self.wireType = wireType
    }

    /// The key as written on the wire: `number << 3 | wireType`.
    @inlinable
    public var rawValue: UInt64 { UInt64(number) << 3 | UInt64(wireType.rawValue) }
}

/// Sizes and ZigZag transforms of the protobuf scalar encodings.
public enum WireFormat {
    /// The largest legal field number (2^29 - 1).
    public static let maxFieldNumber = 536_870_911

    /// Bytes a base-128 varint of `value` takes (1...10).
    @inlinable
    public static func varintSize(_ value: UInt64) -> Int {
        // Every 7 significant bits take one byte; zero still takes one.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    /// Bytes a varint of a non-negative size or length takes.
    @inlinable
    public static func varintSize(_ value: Int) -> Int { varintSize(UInt64(UInt(bitPattern: value))) }

    /// Bytes an `int32`/`enum` value takes: negative values are sign-extended to ten bytes.
    @inlinable
    public static func int32Size(_ value: Int32) -> Int { varintSize(UInt64(bitPattern: Int64(value))) }

    @inlinable
    public static func zigZag(_ value: Int32) -> UInt32 { UInt32(bitPattern: (value << 1) ^ (value >> 31)) }

    @inlinable
    public static func zigZag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }

    @inlinable
    public static func unZigZag(_ value: UInt32) -> Int32 { Int32(bitPattern: (value >> 1) ^ (0 &- (value & 1))) }

    @inlinable
    public static func unZigZag(_ value: UInt64) -> Int64 { Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1))) }

    /// Bytes a length-delimited field body of `length` bytes takes, including its length prefix.
    @inlinable
    public static func lengthDelimitedSize(_ length: Int) -> Int { varintSize(length) + length }
}
