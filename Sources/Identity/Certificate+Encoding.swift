internal import SwiftASN1
public import X509

extension Certificate.SerialNumber {
    /// Lowercase hex without leading zeros: the spelling in the schema, the store and the CLI.
    public var hexString: String {
        let trimmed = bytes.drop(while: { $0 == 0 })
        guard !trimmed.isEmpty else { return "0" }
        let hex = Hex.encode(trimmed)
        return hex.first == "0" ? String(hex.dropFirst()) : hex
    }
}

extension Certificate {
    /// The certificate's DER encoding.
    public var derBytes: [UInt8] {
        get throws {
            var serializer = DER.Serializer()
            try serializer.serialize(self)
            return serializer.serializedBytes
        }
    }
}
