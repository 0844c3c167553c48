internal import Crypto
internal import Foundation
internal import SwiftASN1
public import X509

/// Reads a DER X.509 v2 CRL (RFC 5280 §5.1) as a relying party: checks that `issuer` signed it and
/// returns the serials it revokes, spelled like `Certificate.SerialNumber.hexString`.
/// swift-certificates has no CRL type, so the structure is walked here with SwiftASN1.
public enum RevocationListDecoder {
    public static func revokedSerials(der: some Collection<UInt8>, issuer: Certificate) throws(MembershipError) -> Set<String> {
        let bytes = Array(der)
        guard let root = try? DER.parse(bytes), case .constructed(let outer) = root.content else {
            throw .malformedCertificate("the CRL is not DER")
        }
        let parts = Array(outer)
        guard parts.count == 3, case .constructed(let tbsFields) = parts[0].content,
            let signature = try? ASN1BitString(derEncoded: parts[2]), signature.paddingBits == 0
        else { throw .malformedCertificate("the CRL is not a CertificateList") }
        let tbsBytes = Array(parts[0].encodedBytes)
        guard let key = P256.Signing.PublicKey(issuer.publicKey),
            let parsed = try? P256.Signing.ECDSASignature(derRepresentation: Array(signature.bytes)),
            key.isValidSignature(parsed, for: tbsBytes)
        else { throw .badSignature(certificate: "CRL of \(issuer.subject)", mspID: "its issuer") }

        var serials: Set<String> = []
        for field in tbsFields {
            // revokedCertificates is the only SEQUENCE OF SEQUENCEs whose first element is an INTEGER
            // after the issuer Name (a SEQUENCE of SETs) and the AlgorithmIdentifier (OID first).
            guard field.identifier == .sequence, case .constructed(let entries) = field.content else { continue }
            for entry in entries {
                guard entry.identifier == .sequence, case .constructed(let entryFields) = entry.content,
                    let first = entryFields.first(where: { _ in true }), first.identifier == .integer,
                    case .primitive(let serial) = first.content
                else { break }
                serials.insert(Certificate.SerialNumber(bytes: serial).hexString)
            }
        }
        return serials
    }
}
