import Crypto
public import Foundation
import Schema
public import SwiftASN1
public import X509
internal import Wire

/// The organisations of a channel, each known by its root certificate and its revoked serials
/// (from its CRL). Decides whether a certificate identifies a member, and says exactly why not.
public struct Membership: Sendable {
    /// One member organisation.
    public struct Organization: Sendable {
        public var mspID: String
        public var rootCertificate: Certificate
        /// Intermediate CAs the root delegated to (each checked by `intermediates(_:root:)`):
        /// a certificate one of them issued is a member too, through the path leaf → intermediate → root.
        public var intermediates: [Certificate]
        /// Lowercase-hex serials the organisation's CAs (root and intermediates) have revoked.
        public var revokedSerials: Set<String>

        public init(mspID: String, rootCertificate: Certificate, intermediates: [Certificate] = [], revokedSerials: Set<String> = []) {
            self.mspID = mspID
            self.rootCertificate = rootCertificate
            self.intermediates = intermediates
            self.revokedSerials = revokedSerials
        }

        /// The CA certificate that issued `certificate` in this organisation: its root, or one of
        /// its intermediates.
        func issuer(of certificate: Certificate) -> Certificate? {
            if rootCertificate.subject == certificate.issuer { return rootCertificate }
            return intermediates.first { $0.subject == certificate.issuer }
        }
    }

    public var organizations: [Organization]

    public init(organizations: [Organization]) {
        self.organizations = organizations
    }

    /// The identity `certificate` proves at `time`, or the reason it proves none.
    ///
    /// With `signatures`, a certificate whose signature by the same root was verified before is not
    /// verified again; everything else (validity period, revocation, key usage, role) always is.
    public func validate(
        _ certificate: Certificate, at time: Date, signatures: VerifiedSignatureCache? = nil
    ) throws(MembershipError) -> Identity {
        let subject = Self.describe(certificate)
        guard let org = organizations.first(where: { $0.issuer(of: certificate) != nil }), let issuer = org.issuer(of: certificate) else {
            throw .unknownIssuer(certificate: subject, issuer: "\(certificate.issuer)")
        }
        if signatures?.contains(certificate, root: issuer) != true {
            guard issuer.publicKey.isValidSignature(certificate.signature, for: certificate) else {
                throw .badSignature(certificate: subject, mspID: org.mspID)
            }
            signatures?.insert(certificate, root: issuer)
        }
        if issuer != org.rootCertificate {
            // The intermediate's own place on the path: valid now and not revoked by the root.
            let intermediate = Self.describe(issuer)
            guard time >= issuer.notValidBefore, time <= issuer.notValidAfter else {
                throw .expired(certificate: "intermediate CA \(intermediate) of \(org.mspID)", notAfter: issuer.notValidAfter)
            }
            guard !org.revokedSerials.contains(issuer.serialNumber.hexString) else {
                throw .revoked(certificate: "intermediate CA \(intermediate) of \(org.mspID), which issued \(subject),")
            }
        }
        if let constraints = try? certificate.extensions.basicConstraints, constraints != .notCertificateAuthority {
            throw .wrongKeyUsage(certificate: subject, reason: "it is a CA certificate")
        }
        guard time >= certificate.notValidBefore else {
            throw .notYetValid(certificate: subject, notBefore: certificate.notValidBefore)
        }
        guard time <= certificate.notValidAfter else {
            throw .expired(certificate: subject, notAfter: certificate.notValidAfter)
        }
        guard time <= org.rootCertificate.notValidAfter, time >= org.rootCertificate.notValidBefore else {
            throw .expired(certificate: "root of \(org.mspID)", notAfter: org.rootCertificate.notValidAfter)
        }
        guard !org.revokedSerials.contains(certificate.serialNumber.hexString) else {
            throw .revoked(certificate: subject)
        }
        guard let usage = try? certificate.extensions.keyUsage, usage.digitalSignature else {
            throw .wrongKeyUsage(certificate: subject, reason: "its key usage does not include digitalSignature")
        }
        guard let key = P256.Signing.PublicKey(certificate.publicKey) else {
            throw .wrongKeyUsage(certificate: subject, reason: "its key is not ECDSA P-256")
        }
        let ous = Self.values(of: .RDNAttributeType.organizationalUnitName, in: certificate.subject)
        guard let role = ous.lazy.compactMap(Medledger_V1_Role.init(certificateName:)).first else {
            throw .missingRole(certificate: subject)
        }
        guard let enrollmentID = Self.values(of: .RDNAttributeType.commonName, in: certificate.subject).first else {
            throw .missingRole(certificate: subject)
        }
        guard let attributes = AttributesExtension.read(from: certificate) else {
            throw .malformedAttributes(certificate: subject)
        }
        return Identity(
            mspID: org.mspID, enrollmentID: enrollmentID, role: role, attributes: attributes,
            publicKey: key, certificate: certificate
        )
    }

    /// The intermediate CA certificates (DER) that `root` delegated to, each checked: signed by
    /// `root`, a CA (basic constraints) with `keyCertSign`, allowed no further intermediates below it
    /// (path length 0), its validity inside the root's, and the root allowing a path below it.
    /// Throws naming the first one that fails.
    public static func intermediates(_ ders: [Data], root: Certificate) throws(MembershipError) -> [Certificate] {
        try ders.enumerated().map { (index, der) throws(MembershipError) -> Certificate in
            let name = "intermediate_certs[\(index)]"
            let certificate: Certificate
            do { certificate = try Certificate(derEncoded: Array(der)) } catch { throw .malformedCertificate("\(name): \(error)") }
            let subject = "\(name) \(describe(certificate))"
            guard certificate.issuer == root.subject, root.publicKey.isValidSignature(certificate.signature, for: certificate) else {
                throw .badSignature(certificate: subject, mspID: "the organisation root")
            }
            guard case .isCertificateAuthority(let rootLength)? = try? root.extensions.basicConstraints, (rootLength ?? 1) >= 1 else {
                throw .wrongKeyUsage(certificate: subject, reason: "the root's path length allows no intermediate CA")
            }
            guard case .isCertificateAuthority(let length)? = try? certificate.extensions.basicConstraints, length == 0 else {
                throw .wrongKeyUsage(certificate: subject, reason: "it is not a CA certificate with path length 0")
            }
            guard let usage = try? certificate.extensions.keyUsage, usage.keyCertSign else {
                throw .wrongKeyUsage(certificate: subject, reason: "its key usage does not include keyCertSign")
            }
            guard certificate.notValidAfter <= root.notValidAfter else {
                throw .wrongKeyUsage(certificate: subject, reason: "it outlives the root")
            }
            return certificate
        }
    }

    /// Validates a DER certificate (for example a proposal's creator field).
    public func validate(der: some Collection<UInt8>, at time: Date) throws(MembershipError) -> Identity {
        let certificate: Certificate
        do { certificate = try Certificate(derEncoded: Array(der)) } catch {
            throw .malformedCertificate("\(error)")
        }
        // One certificate, one encoding: the signature BIT STRING (outside what the CA signs) must
        // have no unused bits, or flipping its padding count would alter the bytes undetected.
        guard Self.hasOctetAlignedSignature(Array(der)) else {
            throw .malformedCertificate("the certificate's signature BIT STRING declares unused bits")
        }
        return try validate(certificate, at: time)
    }

    /// True if the outer signatureValue of a DER certificate is octet-aligned (no padding bits),
    /// as every ECDSA or RSA signature is.
    public static func hasOctetAlignedSignature(_ der: [UInt8]) -> Bool {
        guard let root = try? DER.parse(der), case .constructed(let children) = root.content else { return false }
        let parts = Array(children)
        guard parts.count == 3, let signature = try? ASN1BitString(derEncoded: parts[2]) else { return false }
        return signature.paddingBits == 0
    }

    /// The string values of every `type` attribute in `name`.
    public static func values(of type: ASN1ObjectIdentifier, in name: DistinguishedName) -> [String] {
        name.flatMap { $0 }.filter { $0.type == type }.compactMap { String($0.value) }
    }

    /// "CN=…, serial …", enough for an operator to find the certificate.
    static func describe(_ certificate: Certificate) -> String {
        let cn = values(of: .RDNAttributeType.commonName, in: certificate.subject).first ?? "\(certificate.subject)"
        return "\(QuotedInput.quote(cn)) (serial \(certificate.serialNumber.hexString))"
    }
}

/// Why a certificate does not identify a member. Each message names the certificate.
public enum MembershipError: Error, Equatable, CustomStringConvertible {
    case malformedCertificate(String)
    case unknownIssuer(certificate: String, issuer: String)
    case badSignature(certificate: String, mspID: String)
    case notYetValid(certificate: String, notBefore: Date)
    case expired(certificate: String, notAfter: Date)
    case revoked(certificate: String)
    case missingRole(certificate: String)
    case wrongKeyUsage(certificate: String, reason: String)
    case malformedAttributes(certificate: String)

    public var description: String {
        switch self {
        case .malformedCertificate(let why): "the certificate is not valid DER X.509: \(why)"
        case .unknownIssuer(let cert, let issuer):
            "certificate \(cert) was issued by \(issuer), which is not a member organisation's CA"
        case .badSignature(let cert, let msp): "certificate \(cert) names \(msp)'s CA but its signature does not verify"
        case .notYetValid(let cert, let date): "certificate \(cert) is not valid before \(date.ISO8601Format())"
        case .expired(let cert, let date): "certificate \(cert) expired at \(date.ISO8601Format())"
        case .revoked(let cert): "certificate \(cert) is revoked"
        case .missingRole(let cert): "certificate \(cert) names no MedLedger role in its OU"
        case .wrongKeyUsage(let cert, let why): "certificate \(cert) cannot identify a caller: \(why)"
        case .malformedAttributes(let cert): "certificate \(cert) has a malformed attribute extension"
        }
    }
}
