public import Identity
public import Crypto
public import Foundation
public import Schema
import SwiftASN1
public import X509

/// An organisation's root of trust: a P-256 key and its self-signed root certificate, issuing
/// end-entity certificates (role in the subject's OU, attributes in the Fabric CA extension) and
/// node TLS server certificates. Pure: it keeps no records; `OrganizationCA` does.
public struct CertificateAuthority: Sendable {
    public let mspID: String
    public let rootCertificate: Certificate
    let signingKey: P256.Signing.PrivateKey

    /// Tolerates small clock differences between hosts.
    static let backdating: TimeInterval = 5 * 60

    public init(mspID: String, rootCertificate: Certificate, signingKey: P256.Signing.PrivateKey) throws {
        guard rootCertificate.publicKey == Certificate.PublicKey(signingKey.publicKey) else {
            throw CAError.invalidRequest("the CA key does not match the CA certificate")
        }
        self.mspID = mspID
        self.rootCertificate = rootCertificate
        self.signingKey = signingKey
    }

    /// Creates a new CA with a fresh key and a self-signed root valid for `validity`.
    public static func create(
        mspID: String,
        name: String,
        now: Date = Date(),
        validity: TimeInterval = 10 * 365 * 24 * 3600
    ) throws -> CertificateAuthority {
        let key = P256.Signing.PrivateKey()
        let privateKey = Certificate.PrivateKey(key)
        let subject = try DistinguishedName {
            OrganizationName(mspID)
            CommonName(name)
        }
        let keyIdentifier = SubjectKeyIdentifier(hash: privateKey.publicKey).keyIdentifier
        let root = try Certificate(
            version: .v3,
            serialNumber: .random(),
            publicKey: privateKey.publicKey,
            notValidBefore: now.addingTimeInterval(-backdating),
            notValidAfter: now.addingTimeInterval(validity),
            issuer: subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                // Path length 1: the root may delegate to intermediates (`issueIntermediate`), which may not.
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 1))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(keyIdentifier: keyIdentifier)
            },
            issuerPrivateKey: privateKey
        )
        return try CertificateAuthority(mspID: mspID, rootCertificate: root, signingKey: key)
    }

    /// An intermediate CA this CA delegates to: a fresh key and a certificate (path length 0,
    /// `keyCertSign` and `cRLSign`) signed by this CA, valid for `validity` but not beyond this CA.
    /// The intermediate issues identities of the same organisation (`issue`) and its own CRLs;
    /// members accept them once a channel lists its certificate among the organisation's
    /// `intermediate_certs`.
    public func issueIntermediate(name: String, now: Date = Date(), validity: TimeInterval = 5 * 365 * 24 * 3600) throws -> CertificateAuthority {
        if case .isCertificateAuthority(let length)? = try rootCertificate.extensions.basicConstraints, let length, length < 1 {
            throw CAError.invalidRequest("the CA certificate of \(mspID) has path length \(length): it cannot delegate to an intermediate CA")
        }
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let subject = try DistinguishedName {
            OrganizationName(mspID)
            CommonName(name)
        }
        guard subject != rootCertificate.subject else { throw CAError.invalidRequest("an intermediate CA needs a name of its own, not \(name)") }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: .random(),
            publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-Self.backdating),
            notValidAfter: min(now.addingTimeInterval(validity), rootCertificate.notValidAfter),
            issuer: rootCertificate.subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: publicKey)
                AuthorityKeyIdentifier(keyIdentifier: keyIdentifier)
            },
            issuerPrivateKey: Certificate.PrivateKey(signingKey)
        )
        return try CertificateAuthority(mspID: mspID, rootCertificate: certificate, signingKey: key)
    }

    /// The subject key identifier of the root, which every issued certificate and CRL names.
    public var keyIdentifier: ArraySlice<UInt8> {
        SubjectKeyIdentifier(hash: rootCertificate.publicKey).keyIdentifier
    }

    /// What an issued certificate is for.
    public enum Profile: Sendable, Hashable {
        /// A user or node signing identity, also usable as a TLS client certificate.
        case enrollment(enrollmentID: String, role: Medledger_V1_Role, attributes: [String: String])
        /// A node's TLS server certificate naming `hostNames` (DNS names or IP literals).
        case tlsServer(nodeName: String, hostNames: [String])
    }

    /// Checks a DER PKCS#10 request's own signature (proof that its maker holds the key) and returns it.
    public static func parseCSR(_ der: some Collection<UInt8>) throws -> CertificateSigningRequest {
        let csr: CertificateSigningRequest
        do {
            csr = try CertificateSigningRequest(derEncoded: Array(der))
        } catch {
            throw CAError.invalidCSR("not a DER PKCS#10 request (\(error))")
        }
        guard P256.Signing.PublicKey(csr.publicKey) != nil else {
            throw CAError.invalidCSR("the key must be ECDSA P-256")
        }
        guard csr.publicKey.isValidSignature(csr.signature, for: csr) else {
            throw CAError.invalidCSR("its signature does not match its public key")
        }
        return csr
    }

    /// Issues a certificate for `publicKey` with the given profile, valid from now for `validity`.
    public func issue(
        publicKey: Certificate.PublicKey,
        profile: Profile,
        now: Date = Date(),
        validity: TimeInterval,
        serialNumber: Certificate.SerialNumber = .random()
    ) throws -> Certificate {
        let notAfter = min(now.addingTimeInterval(validity), rootCertificate.notValidAfter)
        let subject: DistinguishedName
        let extensions: Certificate.Extensions
        switch profile {
        case .enrollment(let enrollmentID, let role, let attributes):
            guard let ou = role.certificateName else {
                throw CAError.invalidRole("\(role) cannot be written into a certificate")
            }
            subject = try DistinguishedName {
                OrganizationName(mspID)
                OrganizationalUnitName(ou)
                CommonName(enrollmentID)
            }
            extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.clientAuth])
                SubjectKeyIdentifier(hash: publicKey)
                AuthorityKeyIdentifier(keyIdentifier: keyIdentifier)
                try AttributesExtension(attributes: attributes).makeExtension()
            }
        case .tlsServer(let nodeName, let hostNames):
            let names = try hostNames.map(HostNames.generalName(for:))
            subject = try DistinguishedName {
                OrganizationName(mspID)
                OrganizationalUnitName(Medledger_V1_Role.peer.certificateName!)
                CommonName(nodeName)
            }
            extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectAlternativeNames(names)
                SubjectKeyIdentifier(hash: publicKey)
                AuthorityKeyIdentifier(keyIdentifier: keyIdentifier)
            }
        }
        return try Certificate(
            version: .v3,
            serialNumber: serialNumber,
            publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-Self.backdating),
            notValidAfter: notAfter,
            issuer: rootCertificate.subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: Certificate.PrivateKey(signingKey)
        )
    }

    /// How far ahead a CRL's nextUpdate lies when it is signed.
    public static let crlValidity: TimeInterval = 7 * 24 * 3600

    /// Signs `revoked` into a DER X.509 v2 CRL (RFC 5280 §5) numbered `number`.
    public func makeCRL(
        revoked: [RevokedCertificate],
        number: UInt64,
        now: Date = Date(),
        nextUpdate: TimeInterval = CertificateAuthority.crlValidity
    ) throws -> [UInt8] {
        try CRLEncoder(
            issuer: rootCertificate.subject,
            authorityKeyIdentifier: keyIdentifier,
            thisUpdate: now,
            nextUpdate: now.addingTimeInterval(nextUpdate),
            number: number,
            revoked: revoked
        ).sign(with: signingKey)
    }
}

/// A certificate named in a CRL.
public struct RevokedCertificate: Sendable, Hashable {
    /// Lowercase hex without leading zeros.
    public var serial: String
    public var revokedAt: Date
    /// The RFC 5280 CRLReason code (0 unspecified, 1 keyCompromise, …).
    public var reason: Int

    public init(serial: String, revokedAt: Date, reason: Int) {
        self.serial = serial
        self.revokedAt = revokedAt
        self.reason = reason
    }
}

extension Certificate.SerialNumber {
    /// A random serial that RFC 5280 §4.1.2.2 accepts: positive and exactly 20 octets as a DER
    /// INTEGER, with 158 random bits. (swift-certificates' own `init()` draws 20 random bytes and
    /// prepends a zero octet when the first has its top bit set: 21 octets for half the serials,
    /// which some verifiers refuse.) The first octet is 0x40–0x7F: positive, and never a leading
    /// zero that DER would strip.
    public static func random() -> Certificate.SerialNumber {
        var bytes = (0..<20).map { _ in UInt8.random(in: .min ... .max) }
        bytes[0] = bytes[0] & 0x3F | 0x40
        return Certificate.SerialNumber(bytes: bytes)
    }

}
