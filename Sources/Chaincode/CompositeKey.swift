import LedgerCore

/// Fabric's composite keys: `U+0000 objectType U+0000 attribute1 U+0000 … attributeN U+0000`.
///
/// The leading U+0000 keeps composite keys apart from simple keys (which may not start with it), so
/// a range over simple keys never returns them; a partial key is the prefix of every key that
/// extends it, and U+10FFFF (which no attribute may contain) bounds that prefix's range.
public enum CompositeKey {
    static let separator: Unicode.Scalar = "\u{0}"
    /// Sorts after every scalar an attribute may contain.
    static let maxScalar: Unicode.Scalar = "\u{10FFFF}"

    /// The composite key of `objectType` and `attributes`. The object type must be non-empty, and
    /// neither it nor any attribute may contain U+0000 or U+10FFFF.
    public static func make(objectType: String, attributes: [String]) throws(ChaincodeError) -> String {
        guard !objectType.isEmpty else {
            throw .invalidKey("", reason: "a composite key needs a non-empty object type")
        }
        var key = String.UnicodeScalarView([separator])
        for part in [objectType] + attributes {
            if part.unicodeScalars.contains(where: { $0 == separator || $0 == maxScalar }) {
                throw .invalidKey(part, reason: "composite key parts may not contain U+0000 or U+10FFFF")
            }
            key.append(contentsOf: part.unicodeScalars)
            key.append(separator)
        }
        return String(key)
    }

    /// The object type and attributes of a composite key made by `make(objectType:attributes:)`.
    public static func split(_ key: String) throws(ChaincodeError) -> (objectType: String, attributes: [String]) {
        let scalars = key.unicodeScalars
        guard scalars.first == separator, scalars.last == separator, scalars.count >= 3 else {
            throw .invalidKey(key, reason: "not a composite key")
        }
        let parts = scalars.dropFirst().dropLast().split(separator: separator, omittingEmptySubsequences: false)
        guard let objectType = parts.first, !objectType.isEmpty else {
            throw .invalidKey(key, reason: "a composite key needs a non-empty object type")
        }
        return (String(String.UnicodeScalarView(objectType)), parts.dropFirst().map { String(String.UnicodeScalarView($0)) })
    }

    /// Checks the rules every key a contract reads or writes must follow: non-empty, and if it
    /// starts with U+0000, a well-formed composite key. (A Swift `String` is always valid UTF-8;
    /// invalid bytes are caught where arguments become strings.)
    static func validate(_ key: String) throws(ChaincodeError) {
        guard !key.isEmpty else { throw .invalidKey(key, reason: "keys must not be empty") }
        guard StateKeyOrder.isNormalized(key) else {
            throw .invalidKey(key, reason: "keys must be in Unicode Normalization Form C")
        }
        if key.unicodeScalars.first == separator {
            do { _ = try split(key) } catch {
                throw .invalidKey(key, reason: "only composite keys may start with U+0000")
            }
        }
    }

    /// Checks a bound of a range over simple keys: empty (open) or a key not starting with U+0000.
    static func validateRangeBound(_ key: String) throws(ChaincodeError) {
        guard key.unicodeScalars.first != separator else {
            throw .invalidKey(key, reason: "range bounds are simple keys and may not start with U+0000; use a partial composite key")
        }
    }
}
