public import Foundation

/// Reads protobuf wire data strictly and within bounds.
///
/// Every read is checked against the end of the message being decoded, so a length prefix can never
/// make the decoder read, or allocate, beyond the input. `bytes` fields are returned as slices that
/// share the input's storage instead of copies.
@frozen
public struct WireReader {
    @usableFromInline let base: UnsafeRawPointer
    @usableFromInline let source: Data
    @usableFromInline var position: Int
    /// End of the message currently being decoded (exclusive).
    @usableFromInline var end: Int
    @usableFromInline var depthRemaining: Int
    @usableFromInline let maxDepth: Int
    /// Where the most recent tag started, so an unknown field can be preserved byte for byte.
    @usableFromInline var tagStart: Int

    /// - Parameters:
    ///   - source: The input; `bytes` fields decoded from it share its storage.
    ///   - buffer: `source`'s bytes, valid for the reader's whole lifetime.
    @inlinable
    public init(source: Data, buffer: UnsafeRawBufferPointer, options: DecodingOptions) {
        self.source = source
        base = UnsafeRawPointer(buffer.baseAddress) ?? UnsafeRawPointer(bitPattern: 1)!
        position = 0
        end = buffer.count
        maxDepth = options.maxDepth
        depthRemaining = options.maxDepth
        tagStart = 0
    }

    @inlinable
    func error(_ kind: WireDecodingError.Kind) -> WireDecodingError {
        WireDecodingError(kind, offset: position)
    }

    @inlinable
    func error(_ kind: WireDecodingError.Kind, field: StaticString) -> WireDecodingError {
        WireDecodingError(kind, path: [field.description], offset: position)
    }

    // MARK: Tags and raw values

    /// The next field's tag, or `nil` at the end of the current message.
    @inlinable
    public mutating func nextTag() throws(WireDecodingError) -> FieldTag? {
        guard position < end else { return nil }
        tagStart = position
        let key = try readVarint()
        let number = key >> 3
        guard number >= 1, number <= UInt64(WireFormat.maxFieldNumber) else {
            throw error(.invalidFieldNumber(number))
        }
        guard let wireType = WireType(rawValue: UInt8(key & 7)) else {
            throw error(.invalidWireType(UInt8(key & 7)))
        }
        return FieldTag(number: Int(number), wireType: wireType)
    }

    @inlinable
    public mutating func readVarint() throws(WireDecodingError) -> UInt64 {
        guard position < end else { throw error(.truncated) }
        let first = base.load(fromByteOffset: position, as: UInt8.self)
        if first < 0x80 {
            position &+= 1
            return UInt64(first)
        }
        // Two-byte varints (lengths up to 16 KiB, most field values) are the next most common.
        if end &- position >= 2 {
            let second = base.load(fromByteOffset: position &+ 1, as: UInt8.self)
            if second < 0x80 {
                position &+= 2
                return UInt64(first & 0x7F) | UInt64(second) << 7
            }
        }
        return try readMultiByteVarint()
    }

    @usableFromInline
    mutating func readMultiByteVarint() throws(WireDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var cursor = position
        for _ in 0..<10 {
            guard cursor < end else { throw error(.truncated) }
            let byte = base.load(fromByteOffset: cursor, as: UInt8.self)
            cursor &+= 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                if shift == 63 && byte > 1 { throw error(.varintTooLong) }
                position = cursor
                return result
            }
            shift &+= 7
        }
        throw error(.varintTooLong)
    }

    /// A little-endian fixed-width value (`UInt32` for fixed32 fields, `UInt64` for fixed64).
    @inlinable
    mutating func readRawFixed<Raw: FixedWidthInteger & UnsignedInteger>(_: Raw.Type = Raw.self) throws(WireDecodingError) -> Raw {
        let size = MemoryLayout<Raw>.size
        guard end &- position >= size else { throw error(.truncated) }
        let value = base.loadUnaligned(fromByteOffset: position, as: Raw.self)
        position &+= size
        return Raw(littleEndian: value)
    }

    @inlinable
    mutating func readRawFixed32() throws(WireDecodingError) -> UInt32 { try readRawFixed() }

    @inlinable
    mutating func readRawFixed64() throws(WireDecodingError) -> UInt64 { try readRawFixed() }

    /// Reads a length prefix and checks it against the bytes left in the current message.
    @inlinable
    mutating func readLength() throws(WireDecodingError) -> Int {
        let length = try readVarint()
        let remaining = end &- position
        guard length <= UInt64(remaining) else {
            throw error(.lengthPastEnd(length: length, remaining: remaining))
        }
        return Int(length)
    }

    @inlinable
    func expect(_ tag: FieldTag, _ wireType: WireType, field: StaticString) throws(WireDecodingError) {
        guard tag.wireType == wireType else {
            throw error(.wrongWireType(field: tag.number, expected: wireType, actual: tag.wireType), field: field)
        }
    }

    // MARK: Scalar fields

    @inlinable
    public mutating func decodeVarint(_ tag: FieldTag, field: StaticString) throws(WireDecodingError) -> UInt64 {
        try expect(tag, .varint, field: field)
        do { return try readVarint() } catch { throw error.within(field.description) }
    }

    @inlinable
    public mutating func decodeInt32(_ tag: FieldTag, field: StaticString) throws(WireDecodingError) -> Int32 {
        Int32(truncatingIfNeeded: try decodeVarint(tag, field: field))
    }

    @inlinable
    public mutating func decodeInt64(_ tag: FieldTag, field: StaticString) throws(WireDecodingError) -> Int64 {
        Int64(bitPattern: try decodeVarint(tag, field: field))
    }

    @inlinable
    public mutating func decodeUInt32(_ tag: FieldTag, field: StaticString) throws(WireDecodingError) -> UInt32 {
        UInt32(truncatingIfNeeded: try decodeVarint(tag, field: field))
    }

    @inlinable
    public mutating func decodeUInt64(_ tag: FieldTag, field: StaticString) throws(WireDecodingError) -> UInt64 {
        try decodeVarint(tag, field: field)
    }

    @inlinable
    public mutating func decodeSInt32(_ tag: FieldTag, field: StaticString) throws(WireDecodingError) -> Int32 {
        WireFormat.unZigZag(UInt32(truncatingIfNeeded: try decodeVarint(tag, field: field)))
    }

    @inlinable
    public mutating func decodeSInt64(_ tag: FieldTag, field: StaticString) throws(WireDecodingError) -> Int64 {
        WireFormat.unZigZag(try decodeVarint(tag, field: field))
    }

    @inlinable
    public mutating func decodeBool(_ tag: FieldTag, field: StaticString) throws(WireDecodingError) -> Bool {
        try decodeVarint(tag, field: field) != 0
    }

    @inlinable
    public mutating func decodeFixed32(_ tag: FieldTag, field: StaticString) throws(WireDecodingError) -> UInt32 {
        try expect(tag, .fixed32, field: field)
        do { return try readRawFixed32() } catch { throw error.within(field.description) }
    }

    @inlinable
    public mutating func decodeFixed64(_ tag: FieldTag, field: StaticString) throws(WireDecodingError) -> UInt64 {
        try expect(tag, .fixed64, field: field)
        do { return try readRawFixed64() } catch { throw error.within(field.description) }
    }

    @inlinable
    public mutating func decodeSFixed32(_ tag: FieldTag, field: StaticString) throws(WireDecodingError) -> Int32 {
        Int32(bitPattern: try decodeFixed32(tag, field: field))
    }

    @inlinable
    public mutating func decodeSFixed64(_ tag: FieldTag, field: StaticString) throws(WireDecodingError) -> Int64 {
        Int64(bitPattern: try decodeFixed64(tag, field: field))
    }

    @inlinable
    public mutating func decodeFloat(_ tag: FieldTag, field: StaticString) throws(WireDecodingError) -> Float {
        Float(bitPattern: try decodeFixed32(tag, field: field))
    }

    @inlinable
    public mutating func decodeDouble(_ tag: FieldTag, field: StaticString) throws(WireDecodingError) -> Double {
        Double(bitPattern: try decodeFixed64(tag, field: field))
    }

    // MARK: Length-delimited fields

    /// A `bytes` field, sharing the input's storage.
    @inlinable
    public mutating func decodeBytes(_ tag: FieldTag, field: StaticString) throws(WireDecodingError) -> Data {
        try expect(tag, .lengthDelimited, field: field)
        let length: Int
        do { length = try readLength() } catch { throw error.within(field.description) }
        let start = source.startIndex &+ position
        position &+= length
        return source[start..<(start &+ length)]
    }

    /// A `string` field, validated as UTF-8.
    @inlinable
    public mutating func decodeString(_ tag: FieldTag, field: StaticString) throws(WireDecodingError) -> String {
        try expect(tag, .lengthDelimited, field: field)
        let length: Int
        do { length = try readLength() } catch { throw error.within(field.description) }
        let utf8 = UnsafeBufferPointer(start: (base + position).assumingMemoryBound(to: UInt8.self), count: length)
        guard UTF8Validation.isValid(utf8) else {
            throw error(.invalidUTF8, field: field)
        }
        let string = String(decoding: utf8, as: UTF8.self)
        position &+= length
        return string
    }

    /// A nested message, merged into `message` (protobuf merges repeated occurrences of a singular field).
    @inlinable
    public mutating func decodeMessage<M: Message>(
        _ tag: FieldTag,
        field: StaticString,
        into message: inout M
    ) throws(WireDecodingError) {
        try expect(tag, .lengthDelimited, field: field)
        do throws(WireDecodingError) {
            let length = try readLength()
            try decodeNested(length: length, into: &message)
        } catch {
            throw error.within(field.description)
        }
    }

    /// An element of a repeated message field, appended to `array`; errors name the element's index.
    @inlinable
    public mutating func decodeRepeatedMessage<M: Message>(
        _ tag: FieldTag,
        field: StaticString,
        into array: inout [M]
    ) throws(WireDecodingError) {
        try expect(tag, .lengthDelimited, field: field)
        if array.isEmpty { array.reserveCapacity(4) }
        var element = M()
        do throws(WireDecodingError) {
            let length = try readLength()
            try decodeNested(length: length, into: &element)
        } catch {
            throw error.within("[\(array.count)]").within(field.description)
        }
        array.append(element)
    }

    @inlinable
    mutating func decodeNested<M: Message>(length: Int, into message: inout M) throws(WireDecodingError) {
        guard depthRemaining > 0 else { throw error(.nestingTooDeep(limit: maxDepth)) }
        let outerEnd = end
        end = position &+ length
        depthRemaining &-= 1
        try message.decode(from: &self)
        depthRemaining &+= 1
        end = outerEnd
    }

    // MARK: Repeated scalars (packed or not)

    /// Elements of a repeated varint-encoded field, accepted both packed and unpacked.
    @inlinable
    public mutating func decodeRepeatedVarint<T>(
        _ tag: FieldTag,
        field: StaticString,
        into array: inout [T],
        _ convert: (UInt64) -> T
    ) throws(WireDecodingError) {
        do throws(WireDecodingError) {
            switch tag.wireType {
            case .varint:
                array.append(convert(try readVarint()))
            case .lengthDelimited:
                let length = try readLength()
                let packedEnd = position &+ length
                let outerEnd = end
                end = packedEnd
                while position < packedEnd {
                    array.append(convert(try readVarint()))
                }
                end = outerEnd
            default:
                throw error(.wrongWireType(field: tag.number, expected: .varint, actual: tag.wireType))
            }
        } catch {
            throw error.within(field.description)
        }
    }

    /// Elements of a repeated `fixed32`/`sfixed32`/`float` field, packed or not.
    @inlinable
    public mutating func decodeRepeatedFixed32<T>(
        _ tag: FieldTag,
        field: StaticString,
        into array: inout [T],
        _ convert: (UInt32) -> T
    ) throws(WireDecodingError) {
        try decodeRepeatedFixed(tag, field: field, wireType: .fixed32, into: &array, convert)
    }

    /// Elements of a repeated `fixed64`/`sfixed64`/`double` field, packed or not.
    @inlinable
    public mutating func decodeRepeatedFixed64<T>(
        _ tag: FieldTag,
        field: StaticString,
        into array: inout [T],
        _ convert: (UInt64) -> T
    ) throws(WireDecodingError) {
        try decodeRepeatedFixed(tag, field: field, wireType: .fixed64, into: &array, convert)
    }

    /// Elements of a repeated fixed-width field whose raw value is `Raw`, packed or not.
    @inlinable
    mutating func decodeRepeatedFixed<Raw: FixedWidthInteger & UnsignedInteger, T>(
        _ tag: FieldTag,
        field: StaticString,
        wireType: WireType,
        into array: inout [T],
        _ convert: (Raw) -> T
    ) throws(WireDecodingError) {
        let size = MemoryLayout<Raw>.size
        do throws(WireDecodingError) {
            switch tag.wireType {
            case wireType:
                array.append(convert(try readRawFixed()))
            case .lengthDelimited:
                let length = try readLength()
                guard length % size == 0 else { throw error(.misalignedPackedLength(length: length, elementSize: size)) }
                array.reserveCapacity(array.count + length / size)
                for _ in 0..<(length / size) { array.append(convert(try readRawFixed())) }
            default:
                throw error(.wrongWireType(field: tag.number, expected: wireType, actual: tag.wireType))
            }
        } catch {
            throw error.within(field.description)
        }
    }

    // MARK: Maps

    /// One `map<K, V>` entry: a nested message with the key as field 1 and the value as field 2,
    /// either of which may be absent (then it takes its default). A repeated key replaces the earlier value.
    @inlinable
    public mutating func decodeMapEntry<K: Hashable, V>(
        _ tag: FieldTag,
        field: StaticString,
        into map: inout [K: V],
        key defaultKey: K,
        value defaultValue: V,
        readKey: (inout WireReader, FieldTag) throws(WireDecodingError) -> K,
        readValue: (inout WireReader, FieldTag) throws(WireDecodingError) -> V
    ) throws(WireDecodingError) {
        try expect(tag, .lengthDelimited, field: field)
        do throws(WireDecodingError) {
            let length = try readLength()
            guard depthRemaining > 0 else { throw error(.nestingTooDeep(limit: maxDepth)) }
            let outerEnd = end
            end = position &+ length
            depthRemaining &-= 1
            var key = defaultKey
            var value = defaultValue
            while let entryTag = try nextTag() {
                switch entryTag.number {
                case 1: key = try readKey(&self, entryTag)
                case 2: value = try readValue(&self, entryTag)
                default: try skipField(entryTag)
                }
            }
            depthRemaining &+= 1
            end = outerEnd
            map[key] = value
        } catch {
            throw error.within(field.description)
        }
    }

    // MARK: Unknown fields

    /// Skips the value of `tag` and keeps the whole field (tag included) in `unknownFields`.
    @inlinable
    public mutating func decodeUnknown(_ tag: FieldTag, into unknownFields: inout UnknownFields) throws(WireDecodingError) {
        let start = tagStart
        try skipField(tag)
        unknownFields.append(UnsafeRawBufferPointer(start: base + start, count: position &- start))
    }

    /// Skips the value of a field whose tag was just read, groups included.
    @usableFromInline
    mutating func skipField(_ tag: FieldTag) throws(WireDecodingError) {
        switch tag.wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readRawFixed64()
        case .fixed32: _ = try readRawFixed32()
        case .lengthDelimited: position &+= try readLength()
        case .startGroup: try skipGroup(number: tag.number)
        case .endGroup: throw error(.unmatchedEndGroup(field: tag.number))
        }
    }

    @usableFromInline
    mutating func skipGroup(number: Int) throws(WireDecodingError) {
        guard depthRemaining > 0 else { throw error(.nestingTooDeep(limit: maxDepth)) }
        depthRemaining &-= 1
        while true {
            guard let inner = try nextTag() else { throw error(.truncated) }
            if inner.wireType == .endGroup {
                guard inner.number == number else { throw error(.unmatchedEndGroup(field: inner.number)) }
                break
            }
            try skipField(inner)
        }
        depthRemaining &+= 1
    }
}
