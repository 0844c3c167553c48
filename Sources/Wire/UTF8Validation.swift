/// Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
///
/// The standard library's `String(validating:)` runs unspecialised generic code that cost more than
/// the rest of a typical decode; this checks ASCII eight bytes at a time and walks the rest.
public enum UTF8Validation {
    @inlinable
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var index = 0
        while index < count {
            if index &+ 8 <= count,
               UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index &+= 8
                continue
            }
            let lead = base[index]
            if lead < 0x80 {
                index &+= 1
                continue
            }
            guard let length = sequenceLength(lead: lead, base: base, at: index, count: count) else { return false }
            index &+= length
        }
        return true
    }

    /// The length of the multi-byte sequence starting at `index`, or nil if it is not well formed.
    @inlinable
    static func sequenceLength(lead: UInt8, base: UnsafePointer<UInt8>, at index: Int, count: Int) -> Int? {
        @inline(__always) func continuation(_ offset: Int) -> UInt8? {
            guard index &+ offset < count else { return nil }
            let byte = base[index &+ offset]
            return byte & 0xC0 == 0x80 ? byte : nil
        }
        switch lead {
        case 0xC2...0xDF:
            return continuation(1) == nil ? nil : 2
        case 0xE0...0xEF:
            guard let second = continuation(1), continuation(2) != nil else { return nil }
            if lead == 0xE0 && second < 0xA0 { return nil }  // overlong
            if lead == 0xED && second > 0x9F { return nil }  // UTF-16 surrogate
            return 3
        case 0xF0...0xF4:
            guard let second = continuation(1), continuation(2) != nil, continuation(3) != nil else { return nil }
            if lead == 0xF0 && second < 0x90 { return nil }  // overlong
            if lead == 0xF4 && second > 0x8F { return nil }  // above U+10FFFF
            return 4
        default:
            return nil
        }
    }
}
