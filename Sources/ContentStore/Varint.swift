/// Unsigned LEB128 varints as multiformats uses them (at most 9 bytes, minimal encoding).
public enum Varint {
    /// Appends `value` in unsigned varint form.
    public static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// The encoding of `value`.
    public static func encode(_ value: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        append(value, to: &bytes)
        return bytes
    }

    /// Reads a varint at `index`, advancing it; rejects truncated, over-long and non-minimal forms.
    public static func read(_ bytes: some RandomAccessCollection<UInt8>, at index: inout Int) throws(ContentError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var position = index
        while true {
            guard position < bytes.count else { throw .invalidVarint("input ends inside a varint") }
            let byte = bytes[bytes.index(bytes.startIndex, offsetBy: position)]
            position += 1
            guard shift < 63 else { throw .invalidVarint("longer than 9 bytes") }
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 {
                if byte == 0 && shift > 0 { throw .invalidVarint("not minimally encoded") }
                index = position
                return value
            }
            shift += 7
        }
    }
}
