/// A type that can be a `map` key, with the order deterministic encoding writes entries in.
///
/// The order is the one Python protobuf (upb) produces with `deterministic=True`, byte for byte,
/// because Python is the reference our encodings are checked against. upb's order is not plain
/// ascending: integers and bools come in *descending* order of their unsigned bit pattern (so
/// `-1` first, then `-100`, then `5`), and strings ascend by UTF-8 bytes except that a string comes
/// *after* every longer string it is a prefix of (`"ab"`, `"a"`, `"ba"`, `"b"`, `""`).
/// Measured with protobuf 5.x (upb) on this machine; C++ and Go sort ascending instead.
public protocol ProtoMapKey: Hashable, Sendable {
    static func precedesOnWire(_ lhs: Self, _ rhs: Self) -> Bool
}

extension String: ProtoMapKey {
    @inlinable
    public static func precedesOnWire(_ lhs: String, _ rhs: String) -> Bool {
        var left = lhs.utf8.makeIterator()
        var right = rhs.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case let (l?, r?):
                if l != r { return l < r }
            case (_?, nil):
                return true
            case (nil, _):
                return false
            }
        }
    }
}

extension Bool: ProtoMapKey {
    @inlinable
    public static func precedesOnWire(_ lhs: Bool, _ rhs: Bool) -> Bool { lhs && !rhs }
}

extension Int32: ProtoMapKey {
    @inlinable
    public static func precedesOnWire(_ lhs: Int32, _ rhs: Int32) -> Bool { UInt32(bitPattern: lhs) > UInt32(bitPattern: rhs) }
}

extension Int64: ProtoMapKey {
    @inlinable
    public static func precedesOnWire(_ lhs: Int64, _ rhs: Int64) -> Bool { UInt64(bitPattern: lhs) > UInt64(bitPattern: rhs) }
}

extension UInt32: ProtoMapKey {
    @inlinable
    public static func precedesOnWire(_ lhs: UInt32, _ rhs: UInt32) -> Bool { lhs > rhs }
}

extension UInt64: ProtoMapKey {
    @inlinable
    public static func precedesOnWire(_ lhs: UInt64, _ rhs: UInt64) -> Bool { lhs > rhs }
}

extension Dictionary where Key: ProtoMapKey {
    /// The keys in the order deterministic encoding writes map entries.
    @inlinable
    public var keysInWireOrder: [Key] { keys.sorted(by: Key.precedesOnWire) }
}
