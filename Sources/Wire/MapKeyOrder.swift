/// A type that can be a `map` key, with the order deterministic encoding sorts entries in
/// (numeric for integers, `false` before `true`, UTF-8 byte order for strings — as protoc does).
public protocol ProtoMapKey: Hashable, Sendable {
    static func precedesOnWire(_ lhs: Self, _ rhs: Self) -> Bool
}

extension String: ProtoMapKey {
    @inlinable
    public static func precedesOnWire(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}

extension Bool: ProtoMapKey {
    @inlinable
    public static func precedesOnWire(_ lhs: Bool, _ rhs: Bool) -> Bool { !lhs && rhs }
}

extension Int32: ProtoMapKey {
    @inlinable
    public static func precedesOnWire(_ lhs: Int32, _ rhs: Int32) -> Bool { lhs < rhs }
}

extension Int64: ProtoMapKey {
    @inlinable
    public static func precedesOnWire(_ lhs: Int64, _ rhs: Int64) -> Bool { lhs < rhs }
}

extension UInt32: ProtoMapKey {
    @inlinable
    public static func precedesOnWire(_ lhs: UInt32, _ rhs: UInt32) -> Bool { lhs < rhs }
}

extension UInt64: ProtoMapKey {
    @inlinable
    public static func precedesOnWire(_ lhs: UInt64, _ rhs: UInt64) -> Bool { lhs < rhs }
}

extension Dictionary where Key: ProtoMapKey {
    /// The keys in the order deterministic encoding writes map entries.
    @inlinable
    public var keysInWireOrder: [Key] { keys.sorted(by: Key.precedesOnWire) }
}
