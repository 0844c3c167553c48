/// Immutable heap storage for a field whose message type contains the enclosing type again
/// (a recursive schema): a Swift struct cannot contain itself inline. Replacing the box on every
/// write keeps value semantics.
public final class IndirectBox<Value: Sendable & Hashable>: Sendable, Hashable {
    public let value: Value

    public init(_ value: Value) { self.value = value }

    public static func == (lhs: IndirectBox, rhs: IndirectBox) -> Bool { lhs.value == rhs.value }

    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
