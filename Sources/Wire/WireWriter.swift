public import Foundation

/// Writes protobuf wire data into a buffer whose exact size was computed beforehand.
///
/// The writer never grows or bounds-checks in release builds: `Message.serializedData()` sizes the
/// buffer with `computeSize(into:)` first, which is what makes encoding a single pass of stores.
@frozen
public struct WireWriter {
    @usableFromInline let base: UnsafeMutableRawPointer
    @usableFromInline let capacity: Int
    @usableFromInline var position: Int

    @inlinable
    public init(buffer: UnsafeMutableRawBufferPointer) {
        base = buffer.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 1)!
        capacity = buffer.count
        position = 0
    }

    /// Bytes written so far.
    @inlinable
    public var count: Int { position }

    @inlinable
    public mutating func writeByte(_ byte: UInt8) {
        assert(position < capacity, "WireWriter overflow: size computation disagrees with encoding")
        base.storeBytes(of: byte, toByteOffset: position, as: UInt8.self)
        position &+= 1
    }

    @inlinable
    public mutating func writeVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            writeByte(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        writeByte(UInt8(truncatingIfNeeded: value))
    }

    @inlinable
    public mutating func writeVarint(_ value: Int) { writeVarint(UInt64(UInt(bitPattern: value))) }

    /// `int32` and `enum` values: negative numbers are sign-extended to 64 bits, as the spec says.
    @inlinable
    public mutating func writeInt32(_ value: Int32) { writeVarint(UInt64(bitPattern: Int64(value))) }

    @inlinable
    public mutating func writeFixed32(_ value: UInt32) {
        assert(position + 4 <= capacity, "WireWriter overflow")
        base.storeBytes(of: value.littleEndian, toByteOffset: position, as: UInt32.self)
        position &+= 4
    }

    @inlinable
    public mutating func writeFixed64(_ value: UInt64) {
        assert(position + 8 <= capacity, "WireWriter overflow")
        base.storeBytes(of: value.littleEndian, toByteOffset: position, as: UInt64.self)
        position &+= 8
    }

    @inlinable
    public mutating func writeRaw(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        assert(position + bytes.count <= capacity, "WireWriter overflow")
        (base + position).copyMemory(from: source, byteCount: bytes.count)
        position &+= bytes.count
    }

    /// A `bytes` value with its length prefix.
    @inlinable
    public mutating func writeDelimited(_ data: Data) {
        writeVarint(data.count)
        data.withUnsafeBytes { writeRaw($0) }
    }

    /// A `string` value (UTF-8) with its length prefix.
    @inlinable
    public mutating func writeDelimited(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            writeVarint(utf8.count)
            writeRaw(UnsafeRawBufferPointer(utf8))
        }
    }

    /// Preserved unknown fields, written as they were read.
    @inlinable
    public mutating func writeUnknownFields(_ fields: UnknownFields) {
        if !fields.isEmpty { fields.data.withUnsafeBytes { writeRaw($0) } }
    }

    /// A nested message with its length prefix, using the size recorded by `SizeCache.measure`.
    @inlinable
    public mutating func writeDelimited<M: Message>(_ message: M, cache: inout SizeCache) {
        let size = cache.nextSize()
        writeVarint(size)
        let start = position
        message.encode(to: &self, cache: &cache)
        assert(position - start == size, "\(M.protoMessageName): encoded size differs from computed size")
    }
}
