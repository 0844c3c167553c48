import Crypto
import Foundation
import Identity
import CertificateAuthority
import Schema
import Testing
import SwiftASN1
import X509

@Suite("Membership says exactly why a certificate is refused")
struct MembershipTests {
    let ca: OrganizationCA
    let certificate: Certificate

    init() throws {
        ca = try makeCA()
        let secret = try ca.register(enrollmentID: "nurse.joy", role: .clinician)
        certificate = try ca.enroll(enrollmentID: "nurse.joy", secret: secret, csr: try IdentityFolder.makeCSR(commonName: "nurse.joy").csr)
    }

    @Test("A certificate from another organisation's CA names an unknown issuer")
    func otherOrganization() throws {
        let other = try makeCA(mspID: "HospitalBMSP")
        let secret = try other.register(enrollmentID: "mallory", role: .admin)
        let foreign = try other.enroll(enrollmentID: "mallory", secret: secret, csr: try IdentityFolder.makeCSR(commonName: "mallory").csr)
        #expect {
            try ca.membership().validate(foreign, at: Date())
        } throws: { error in
            guard case .unknownIssuer(let cert, _) = error as? MembershipError else { return false }
            return cert.contains("mallory")
        }
    }

    @Test("A self-signed certificate copying the CA's name fails the signature check")
    func forgedIssuerName() throws {
        let key = P256.Signing.PrivateKey()
        let forged = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-60), notValidAfter: Date().addingTimeInterval(3600),
            issuer: ca.authority.rootCertificate.subject,
            subject: try DistinguishedName { OrganizationalUnitName("admin"); CommonName("eve") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions { Critical(KeyUsage(digitalSignature: true)) },
            issuerPrivateKey: .init(key)
        )
        #expect {
            try ca.membership().validate(forged, at: Date())
        } throws: { error in
            if case .badSignature = error as? MembershipError { return true }
            return false
        }
    }

    @Test("Expired and not-yet-valid certificates say when")
    func validityWindow() throws {
        #expect {
            try ca.membership().validate(certificate, at: certificate.notValidAfter.addingTimeInterval(1))
        } throws: { error in
            if case .expired = error as? MembershipError { return "\(error)".contains("nurse.joy") }
            return false
        }
        #expect {
            try ca.membership().validate(certificate, at: certificate.notValidBefore.addingTimeInterval(-1))
        } throws: { error in
            if case .notYetValid = error as? MembershipError { return true }
            return false
        }
    }

    @Test("A revoked certificate is refused as revoked")
    func revoked() throws {
        _ = try ca.revoke(.serial(certificate.serialNumber.hexString), reason: 0)
        #expect(throws: MembershipError.revoked(certificate: "'nurse.joy' (serial \(certificate.serialNumber.hexString))")) {
            try ca.membership().validate(certificate, at: Date())
        }
    }

    @Test("A node certificate identifies a peer; the CA's own certificate identifies no caller")
    func certificateKinds() throws {
        let key = P256.Signing.PrivateKey()
        let root = ca.authority.rootCertificate
        let noRole = try ca.authority.issue(
            publicKey: .init(key.publicKey), profile: .tlsServer(nodeName: "n", hostNames: ["localhost"]), validity: 60
        )
        #expect(try ca.membership().validate(noRole, at: Date()).role == .peer)
        #expect {
            try ca.membership().validate(root, at: Date())
        } throws: { error in
            if case .wrongKeyUsage(_, let reason) = error as? MembershipError { return reason.contains("CA certificate") }
            return false
        }
    }
}

@Suite("Request signing")
struct RequestSigningTests {
    @Test("A signed proposal verifies, and any change to its bytes or signature is caught")
    func signAndVerify() throws {
        let ca = try makeCA()
        let secret = try ca.register(enrollmentID: "app", role: .client)
        let (key, csr) = try IdentityFolder.makeCSR(commonName: "app")
        let certificate = try ca.enroll(enrollmentID: "app", secret: secret, csr: csr)
        let signer = RequestSigner(key: key, certificateDER: Data(try certificate.derBytes()))
        var proposal = Medledger_V1_Proposal()
        proposal.channelID = "ehr"
        proposal.chaincodeName = "records"
        proposal.nonce = Data(repeating: 7, count: 24)
        let signed = try signer.sign(proposal)

        let verifier = SignatureVerifier(membership: try ca.membership())
        let (decoded, creator) = try verifier.verify(signed, at: Date())
        #expect(decoded.channelID == "ehr")
        #expect(creator.enrollmentID == "app")

        var tampered = signed
        tampered.proposalBytes[tampered.proposalBytes.startIndex + 3] ^= 0x01
        #expect(throws: SignatureError.self) { try verifier.verify(tampered, at: Date()) }
        var badSignature = signed
        badSignature.signature[badSignature.signature.index(before: badSignature.signature.endIndex)] ^= 0x01
        #expect(throws: SignatureError.badSignature(signer: creator.description)) { try verifier.verify(badSignature, at: Date()) }

        let envelope = try signer.envelope(Medledger_V1_Transaction())
        try verifier.verify(envelope, creator: creator)
        var forged = envelope
        forged.payload.append(0)
        #expect(throws: SignatureError.self) { try verifier.verify(forged, creator: creator) }
    }
}

extension Certificate {
    func derBytes() throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(self)
        return serializer.serializedBytes
    }
}
