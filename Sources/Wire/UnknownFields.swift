public import Foundation

/// Fields a decoder did not recognise, kept as their exact wire bytes and re-emitted after the
/// known fields, so a message passes through a node that has an older schema without losing data.
@frozen
public struct UnknownFields: Sendable, Hashable {
    /// The concatenated fields, tags included.
    public var data: Data

    @inlinable
    public init() { data = Data() }

    @inlinable
    public init(data: Data) { self.data = data }

    @inlinable
    public var isEmpty: Bool { data.isEmpty }

    /// Bytes they take on the wire.
    @inlinable
    public var count: Int { data.count }

    @inlinable
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        data.append(contentsOf: bytes)
    }
}
