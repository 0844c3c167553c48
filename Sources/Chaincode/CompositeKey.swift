import LedgerCore

/// Fabric's composite keys: `U+0000 objectType U+0000 attribute1 U+0000 … attributeN U+0000`.
///
/// The leading U+0000 keeps composite keys apart from simple keys (which may not start with it), so
/// a range over simple keys never returns them; a partial key is the prefix of every key that
/// extends it, and U+10FFFF (which no attribute may contain) bounds that prefix's range.
public enum CompositeKey {
    /// Sorts after every scalar an attribute may contain.
    static let maxScalar: Unicode.Scalar = "\u{10FFFF}"

    /// The composite key of `objectType` and `attributes`. The object type must be non-empty, and
    /// neither it nor any attribute may contain U+0000 or U+10FFFF.
    public static func make(objectType: String, attributes: [String]) throws(ChaincodeError) -> String {
        guard !objectType.isEmpty else {
            throw .invalidKey("", reason: "a composite key needs a non-empty object type")
        }
        // Worked in UTF-8: U+0000 is the byte 0x00, which no other scalar's encoding contains.
        var key: [UInt8] = [0]
        key.reserveCapacity(attributes.reduce(objectType.utf8.count + 2) { $0 + $1.utf8.count + 1 })
        for part in CollectionOfOne(objectType) + attributes {
            if containsReservedScalar(part) {
                throw .invalidKey(part, reason: "composite key parts may not contain U+0000 or U+10FFFF")
            }
            key.append(contentsOf: part.utf8)
            key.append(0)
        }
        return String(decoding: key, as: UTF8.self)
    }

    /// The object type and attributes of a composite key made by `make(objectType:attributes:)`.
    public static func split(_ key: String) throws(ChaincodeError) -> (objectType: String, attributes: [String]) {
        let bytes = key.utf8
        guard bytes.first == 0, bytes.last == 0, bytes.count >= 3 else {
            throw .invalidKey(key, reason: "not a composite key")
        }
        let parts = bytes.dropFirst().dropLast().split(separator: 0, omittingEmptySubsequences: false)
        guard let objectType = parts.first, !objectType.isEmpty else {
            throw .invalidKey(key, reason: "a composite key needs a non-empty object type")
        }
        // Cut at 0x00 bytes, which never fall inside a multi-byte scalar, each part is valid UTF-8.
        return (String(decoding: objectType, as: UTF8.self), parts.dropFirst().map { String(decoding: $0, as: UTF8.self) })
    }

    /// True if `part` holds U+0000 or U+10FFFF (UTF-8 `F4 8F BF BF`).
    private static func containsReservedScalar(_ part: String) -> Bool {
        let bytes = part.utf8
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == 0 { return true }
            if byte == 0xF4, bytes[index...].starts(with: [0xF4, 0x8F, 0xBF, 0xBF]) { return true }
            index = bytes.index(after: index)
        }
        return false
    }

    /// Checks the rules every key a contract reads or writes must follow: non-empty, and if it
    /// starts with U+0000, a well-formed composite key. (A Swift `String` is always valid UTF-8;
    /// invalid bytes are caught where arguments become strings.)
    static func validate(_ key: String) throws(ChaincodeError) {
        guard !key.isEmpty else { throw .invalidKey(key, reason: "keys must not be empty") }
        guard StateKeyOrder.isNormalized(key) else {
            throw .invalidKey(key, reason: "keys must be in Unicode Normalization Form C")
        }
        if key.utf8.first == 0 {
            do { _ = try split(key) } catch {
                throw .invalidKey(key, reason: "only composite keys may start with U+0000")
            }
        }
    }

    /// Checks a bound of a range over simple keys: empty (open) or a key not starting with U+0000.
    static func validateRangeBound(_ key: String) throws(ChaincodeError) {
        guard key.utf8.first != 0 else {
            throw .invalidKey(key, reason: "range bounds are simple keys and may not start with U+0000; use a partial composite key")
        }
    }
}
