/// Sizes of nested messages, measured once per encode.
///
/// `Message.computeSize(into:)` reserves a slot for every nested message in pre-order and fills it
/// after measuring the child, so the encoder can read the length prefixes back in the same order
/// without measuring any sub-message twice (the cost that makes naive encoders quadratic in depth).
@frozen
public struct SizeCache: Sendable {
    @usableFromInline var sizes: [Int]
    @usableFromInline var cursor: Int

    @inlinable
    public init() {
        sizes = []
        cursor = 0
    }

    /// Measures `message`, records its size for the encoder and returns it.
    @inlinable
    public mutating func measure<M: Message>(_ message: M) -> Int {
        let slot = reserveSlot()
        let size = message.computeSize(into: &self)
        sizes[slot] = size
        return size
    }

    /// Measures `message` as a length-delimited field body: its size plus its length prefix.
    @inlinable
    public mutating func measureDelimited<M: Message>(_ message: M) -> Int {
        let size = measure(message)
        return WireFormat.varintSize(size) + size
    }

    /// Reserves a slot for a length that is known only after its contents are measured
    /// (a map entry, a packed field); fill it with `fill(_:with:)`.
    @inlinable
    public mutating func reserveSlot() -> Int {
        // One allocation for typical messages instead of one per doubling; none for flat ones.
        if sizes.capacity == 0 { sizes.reserveCapacity(32) }
        sizes.append(0)
        return sizes.count - 1
    }

    @inlinable
    public mutating func fill(_ slot: Int, with size: Int) {
        sizes[slot] = size
    }

    /// The next recorded size, in the order they were recorded.
    @inlinable
    public mutating func nextSize() -> Int {
        let size = sizes[cursor]
        cursor &+= 1
        return size
    }
}
