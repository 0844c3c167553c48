public import Identity
internal import Crypto
public import Foundation
public import Schema
internal import SwiftASN1
public import X509

extension OrganizationCA {
    /// Registers `enrollmentID` and enrolls it at once with a fresh key, returning a signer: how a
    /// node creates its own peer and orderer identities, and how tests and the dev network create
    /// their users. The key is generated here and never leaves the caller.
    public func enrollSigner(
        enrollmentID: String, role: Medledger_V1_Role, attributes: [String: String] = [:], now: Date = Date()
    ) throws -> (signer: RequestSigner, certificate: Certificate) {
        let secret = try register(enrollmentID: enrollmentID, role: role, attributes: attributes)
        let (key, csr) = try IdentityFolder.makeCSR(commonName: enrollmentID)
        let certificate = try enroll(enrollmentID: enrollmentID, secret: secret, csr: csr, now: now)
        return (RequestSigner(key: key, certificateDER: try Data(certificate.derBytes)), certificate)
    }

    /// The organisation as a channel member: its MSP ID, root certificate and current CRL.
    public func channelOrganization(now: Date = Date()) throws -> Medledger_V1_OrganizationConfig {
        var org = Medledger_V1_OrganizationConfig()
        org.mspID = mspID
        org.rootCerts = [try Data(authority.rootCertificate.derBytes)]
        org.crls = [Data(try currentCRL(now: now))]
        return org
    }
}
