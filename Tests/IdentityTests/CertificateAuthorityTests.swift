import CertificateAuthority
import Crypto
import Foundation
import Identity
import MedLedgerTesting
import Schema
import SwiftASN1
import Testing
import X509

@Suite("Certificate authority")
struct CertificateAuthorityTests {
    @Test("Enrollment puts role, ID and attributes into the certificate, and Membership reads them back")
    func enrollmentCertificateCarriesIdentity() throws {
        let ca = try makeCA()
        let secret = try ca.register(
            enrollmentID: "dr.alice", role: .clinician, attributes: ["department": "cardiology"]
        )
        let (key, csr) = try IdentityFolder.makeCSR(commonName: "dr.alice")
        let certificate = try ca.enroll(enrollmentID: "dr.alice", secret: secret, csr: csr)

        let identity = try ca.membership().validate(certificate, at: Date())
        #expect(identity.mspID == "HospitalAMSP")
        #expect(identity.enrollmentID == "dr.alice")
        #expect(identity.role == .clinician)
        #expect(identity.attributes == ["department": "cardiology"])
        #expect(identity.publicKey.rawRepresentation == key.publicKey.rawRepresentation)
        #expect(certificate.publicKey == Certificate.PublicKey(key.publicKey))
    }

    @Test("Serial numbers are random, at most 20 bytes, and survive a DER round trip as positive integers")
    func serialNumbers() throws {
        let ca = try makeCA()
        var serials = Set<String>()
        for _ in 0..<20 {
            let certificate = try ca.authority.issue(
                publicKey: Certificate.PublicKey(P256.Signing.PrivateKey().publicKey),
                profile: .enrollment(enrollmentID: "x", role: .patient, attributes: [:]),
                validity: 3600
            )
            #expect(certificate.serialNumber.bytes.count <= 20)
            var serializer = DER.Serializer()
            try serializer.serialize(certificate)
            let reparsed = try Certificate(derEncoded: serializer.serializedBytes)
            #expect(reparsed.serialNumber.hexString == certificate.serialNumber.hexString)
            serials.insert(certificate.serialNumber.hexString)
        }
        #expect(serials.count == 20)
    }

    @Test("A CSR whose signature does not match its key is refused and nothing is issued")
    func tamperedCSR() throws {
        let ca = try makeCA()
        let secret = try ca.register(enrollmentID: "bob", role: .patient)
        var (_, csr) = try IdentityFolder.makeCSR(commonName: "bob")
        csr[csr.count - 5] ^= 0x01
        #expect(throws: CAError.self) { try ca.enroll(enrollmentID: "bob", secret: secret, csr: csr) }
        #expect(try ca.store.certificates(of: "bob").isEmpty)
        #expect(try ca.store.registration("bob")?.enrollmentsUsed == 0)
    }

    @Test("A replayed enrollment secret is refused once its enrollments are used up")
    func replayedSecret() throws {
        let ca = try makeCA()
        let secret = try ca.register(enrollmentID: "carol", role: .patient)
        _ = try ca.enroll(enrollmentID: "carol", secret: secret, csr: try IdentityFolder.makeCSR(commonName: "carol").csr)
        let replay = try IdentityFolder.makeCSR(commonName: "carol").csr
        #expect(throws: CAError.enrollmentsExhausted(enrollmentID: "carol", max: 1)) {
            try ca.enroll(enrollmentID: "carol", secret: secret, csr: replay)
        }
        #expect(try ca.store.certificates(of: "carol").count == 1)
    }

    @Test("Wrong secrets lock the identity after the limit, even against the right secret")
    func lockout() throws {
        var policy = OrganizationCA.Policy()
        policy.maxFailedAttempts = 3
        let ca = try makeCA(policy: policy)
        let secret = try ca.register(enrollmentID: "dave", role: .researcher)
        let csr = try IdentityFolder.makeCSR(commonName: "dave").csr
        for _ in 0..<2 {
            #expect(throws: CAError.enrollmentDenied) { try ca.enroll(enrollmentID: "dave", secret: "wrong-secret", csr: csr) }
        }
        #expect(throws: CAError.lockedOut(enrollmentID: "dave")) {
            try ca.enroll(enrollmentID: "dave", secret: "wrong-secret", csr: csr)
        }
        #expect(throws: CAError.lockedOut(enrollmentID: "dave")) { try ca.enroll(enrollmentID: "dave", secret: secret, csr: csr) }
        #expect(try ca.store.certificates(of: "dave").isEmpty)
    }

    @Test("An unlock resets the count, replaces the secret and is recorded; only a locked, live identity is unlocked")
    func unlock() throws {
        var policy = OrganizationCA.Policy()
        policy.maxFailedAttempts = 2
        let ca = try makeCA(policy: policy)
        let secret = try ca.register(enrollmentID: "erin", role: .patient)
        let csr = try IdentityFolder.makeCSR(commonName: "erin").csr
        #expect(throws: CAError.notLocked(enrollmentID: "erin", failedAttempts: 0, limit: 2)) { try ca.unlock("erin", by: "admin@X") }
        for _ in 0..<2 { _ = try? ca.enroll(enrollmentID: "erin", secret: "wrong-secret", csr: csr) }
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        let (fresh, failed) = try ca.unlock("erin", by: "admin@X", now: at)
        #expect(failed == 2 && fresh != secret)
        #expect(try ca.unlocks(of: "erin") == [OrganizationCA.Unlock(enrollmentID: "erin", unlockedBy: "admin@X", unlockedAt: at, failedAttempts: 2)])
        #expect(throws: CAError.enrollmentDenied) { try ca.enroll(enrollmentID: "erin", secret: secret, csr: csr) }
        _ = try ca.enroll(enrollmentID: "erin", secret: fresh, csr: csr)
        #expect(throws: CAError.unknownIdentity("nobody")) { try ca.unlock("nobody", by: "admin@X") }
        _ = try ca.register(enrollmentID: "gone", role: .patient)
        _ = try ca.revoke(.identity("gone"), reason: 0)
        #expect(throws: CAError.identityRevoked("gone")) { try ca.unlock("gone", by: "admin@X") }
    }

    @Test("Unknown IDs and wrong secrets get the same answer")
    func unknownIdentity() throws {
        let ca = try makeCA()
        let csr = try IdentityFolder.makeCSR(commonName: "nobody").csr
        #expect(throws: CAError.enrollmentDenied) { try ca.enroll(enrollmentID: "nobody", secret: "whatever-secret", csr: csr) }
    }

    @Test("Registration refuses bad input and duplicates")
    func registrationValidation() throws {
        let ca = try makeCA()
        #expect(throws: CAError.invalidEnrollmentID("bad id")) { try ca.register(enrollmentID: "bad id", role: .patient) }
        #expect(throws: CAError.self) { try ca.register(enrollmentID: "x", role: .member) }
        _ = try ca.register(enrollmentID: "erin", role: .auditor)
        #expect(throws: CAError.alreadyRegistered("erin")) { try ca.register(enrollmentID: "erin", role: .auditor) }
    }

    @Test("A CA directory survives a restart with its key at mode 0600")
    func persistence() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = try OrganizationCA.initialize(in: directory.url, mspID: "OrgB", name: "OrgB CA")
        let secret = try ca.register(enrollmentID: "frank", role: .patient)
        let certificate = try ca.enroll(enrollmentID: "frank", secret: secret, csr: try IdentityFolder.makeCSR(commonName: "frank").csr)
        _ = try ca.revoke(.serial(certificate.serialNumber.hexString), reason: 1)

        let attributes = try FileManager.default.attributesOfItem(atPath: OrganizationCA.keyPath(in: directory.url))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let reopened = try OrganizationCA.open(in: directory.url)
        #expect(reopened.mspID == "OrgB")
        #expect(reopened.authority.rootCertificate == ca.authority.rootCertificate)
        #expect(try reopened.store.registration("frank")?.enrollmentsUsed == 1)
        #expect(try reopened.revokedSerials() == [certificate.serialNumber.hexString])
        #expect(try reopened.currentCRL() == ca.currentCRL())
    }

    /// Without revocations the CRL is still re-signed before its nextUpdate, so a relying party
    /// never has to reject every certificate because the CRL it holds has expired.
    @Test func theCRLIsResignedBeforeItExpires() throws {
        let ca = try makeCA()
        let start = Date()
        let first = try ca.currentCRL(now: start)
        #expect(try ca.currentCRL(now: start.addingTimeInterval(3600)) == first)
        let later = start.addingTimeInterval(CertificateAuthority.crlValidity * 0.6)
        let renewed = try ca.currentCRL(now: later)
        #expect(renewed != first)
        #expect(try ca.currentCRL(now: later.addingTimeInterval(60)) == renewed)
    }
}
