public import Identity
internal import Crypto
internal import Foundation
internal import SwiftASN1
internal import X509

/// Encodes and signs an X.509 v2 certificate revocation list (RFC 5280 §5) with SwiftASN1, since
/// swift-certificates has no CRL builder. Includes the CRL number and authority key identifier
/// extensions a conforming CRL needs, and a reason code per entry.
struct CRLEncoder {
    var issuer: DistinguishedName
    var authorityKeyIdentifier: ArraySlice<UInt8>
    var thisUpdate: Date
    var nextUpdate: Date
    var number: UInt64
    var revoked: [RevokedCertificate]

    private static let ecdsaWithSHA256: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 2]
    private static let crlNumber: ASN1ObjectIdentifier = [2, 5, 29, 20]
    private static let reasonCode: ASN1ObjectIdentifier = [2, 5, 29, 21]
    private static let authorityKeyIdentifierOID: ASN1ObjectIdentifier = [2, 5, 29, 35]

    func sign(with key: P256.Signing.PrivateKey) throws -> [UInt8] {
        var tbsCoder = DER.Serializer()
        try serializeTBS(into: &tbsCoder)
        let tbs = tbsCoder.serializedBytes
        let signature = try key.signature(for: tbs).derRepresentation

        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            coder.serializeRawBytes(tbs)
            try Self.serializeAlgorithm(into: &coder)
            try coder.serialize(ASN1BitString(bytes: ArraySlice(signature)))
        }
        return coder.serializedBytes
    }

    private func serializeTBS(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(1)  // v2
            try Self.serializeAlgorithm(into: &coder)
            try coder.serialize(issuer)
            try Self.serializeTime(thisUpdate, into: &coder)
            try Self.serializeTime(nextUpdate, into: &coder)
            if !revoked.isEmpty {
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    for entry in revoked {
                        try Self.serializeEntry(entry, into: &coder)
                    }
                }
            }
            try coder.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) {
                coder in
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    try coder.serialize(
                        Certificate.Extension(AuthorityKeyIdentifier(keyIdentifier: authorityKeyIdentifier), critical: false)
                    )
                    var numberCoder = DER.Serializer()
                    try numberCoder.serialize(number)
                    try coder.serialize(
                        Certificate.Extension(oid: Self.crlNumber, critical: false, value: numberCoder.serializedBytes[...])
                    )
                }
            }
        }
    }

    private static func serializeEntry(_ entry: RevokedCertificate, into coder: inout DER.Serializer) throws {
        guard let serial = serialBytes(entry.serial) else {
            throw CAError.unknownSerial(entry.serial)
        }
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(serial)
            try serializeTime(entry.revokedAt, into: &coder)
            if entry.reason != 0 {
                var reasonCoder = DER.Serializer()
                reasonCoder.appendPrimitiveNode(identifier: .enumerated) { bytes in
                    bytes.append(UInt8(entry.reason))
                }
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    try coder.serialize(
                        Certificate.Extension(oid: reasonCode, critical: false, value: reasonCoder.serializedBytes[...])
                    )
                }
            }
        }
    }

    private static func serializeAlgorithm(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(ecdsaWithSHA256)
        }
    }

    /// UTCTime through 2049 and GeneralizedTime after, as RFC 5280 §5.1.2.4 requires.
    private static func serializeTime(_ date: Date, into coder: inout DER.Serializer) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        if c.year! < 2050 {
            try coder.serialize(
                UTCTime(year: c.year!, month: c.month!, day: c.day!, hours: c.hour!, minutes: c.minute!, seconds: c.second!)
            )
        } else {
            try coder.serialize(
                GeneralizedTime(
                    year: c.year!, month: c.month!, day: c.day!, hours: c.hour!, minutes: c.minute!,
                    seconds: c.second!, fractionalSeconds: 0
                )
            )
        }
    }

    /// The serial's magnitude bytes without leading zeros (the DER encoder adds one if needed).
    static func serialBytes(_ hex: String) -> ArraySlice<UInt8>? {
        guard !hex.isEmpty, hex.count <= 40, let bytes = Hex.decode(hex.count % 2 == 1 ? "0" + hex : hex) else { return nil }
        let trimmed = bytes.drop(while: { $0 == 0 })
        return trimmed.isEmpty ? [0] : trimmed
    }
}
