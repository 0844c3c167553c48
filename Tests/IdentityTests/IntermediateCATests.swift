import CertificateAuthority
import Crypto
import Foundation
import Identity
import MedLedgerTesting
import Schema
import SwiftASN1
import Testing
import X509

/// An organisation root delegating to an intermediate CA that issues identities: membership
/// builds the path leaf → intermediate → root, and every link is checked (signature, CA flags,
/// path length, validity, revocation by the root's or the intermediate's CRL). OpenSSL judges
/// the same chains independently.
@Suite("Intermediate CAs")
struct IntermediateCATests {
    struct Chain {
        let root: CertificateAuthority
        let intermediate: CertificateAuthority
        let leafKey = P256.Signing.PrivateKey()

        init(now: Date = Date()) throws {
            root = try CertificateAuthority.create(mspID: "ClinicMSP", name: "Clinic root", now: now)
            intermediate = try root.issueIntermediate(name: "Clinic ward CA", now: now)
        }

        func leaf(role: Medledger_V1_Role = .clinician, by ca: CertificateAuthority? = nil, now: Date = Date()) throws -> Certificate {
            try (ca ?? intermediate).issue(
                publicKey: Certificate.PublicKey(leafKey.publicKey), profile: .enrollment(enrollmentID: "dr-ward", role: role, attributes: [:]),
                now: now, validity: 3600)
        }

        func membership(intermediates: [Certificate]? = nil, revoked: Set<String> = []) -> Membership {
            Membership(organizations: [
                .init(mspID: "ClinicMSP", rootCertificate: root.rootCertificate, intermediates: intermediates ?? [intermediate.rootCertificate], revokedSerials: revoked)
            ])
        }

        func der(_ certificate: Certificate) throws -> Data {
            var serializer = DER.Serializer()
            try serializer.serialize(certificate)
            return Data(serializer.serializedBytes)
        }
    }

    @Test func aCertificateAnIntermediateIssuedIsAMemberThroughThePath() throws {
        let chain = try Chain()
        let identity = try chain.membership().validate(try chain.leaf(), at: Date())
        #expect(identity.mspID == "ClinicMSP" && identity.enrollmentID == "dr-ward" && identity.role == .clinician)
        // The root still issues directly.
        #expect(try chain.membership().validate(try chain.leaf(by: chain.root), at: Date()).enrollmentID == "dr-ward")
    }

    @Test func everyLinkOfThePathIsChecked() throws {
        let chain = try Chain()
        let leaf = try chain.leaf()
        let outcomes: [(String, () throws -> Identity, String)] = [
            ("intermediate not listed", { try chain.membership(intermediates: []).validate(leaf, at: Date()) }, "not a member organisation's CA"),
            ("intermediate revoked", {
                try chain.membership(revoked: [chain.intermediate.rootCertificate.serialNumber.hexString]).validate(leaf, at: Date())
            }, "intermediate CA"),
            ("leaf revoked", { try chain.membership(revoked: [leaf.serialNumber.hexString]).validate(leaf, at: Date()) }, "is revoked"),
            ("intermediate expired", { try chain.membership().validate(leaf, at: chain.intermediate.rootCertificate.notValidAfter + 1) }, "expired"),
            ("the intermediate as an identity", {
                try chain.membership().validate(chain.intermediate.rootCertificate, at: Date())
            }, "is a CA certificate"),
        ]
        for (name, validate, expected) in outcomes {
            #expect(throws: MembershipError.self, "\(name)") { _ = try validate() }
            do { _ = try validate() } catch { #expect("\(error)".contains(expected), "\(name): \(error)") }
        }
    }

    @Test func onlyADelegatedCAOfPathLengthZeroIsAcceptedAsAnIntermediate() throws {
        let chain = try Chain()
        #expect(try Membership.intermediates([try chain.der(chain.intermediate.rootCertificate)], root: chain.root.rootCertificate).count == 1)
        // Another organisation's intermediate, a leaf posing as a CA, and an intermediate below an intermediate.
        let other = try Chain()
        let refusals: [(String, Data, String)] = [
            ("another root's", try chain.der(other.intermediate.rootCertificate), "signature does not verify"),
            ("a leaf", try chain.der(try chain.leaf(by: chain.root)), "not a CA certificate"),
        ]
        for (name, der, expected) in refusals {
            do {
                _ = try Membership.intermediates([der], root: chain.root.rootCertificate)
                Issue.record("\(name) was accepted as an intermediate")
            } catch { #expect(error.description.contains(expected), "\(name): \(error)") }
        }
        #expect(throws: CAError.self) { _ = try chain.intermediate.issueIntermediate(name: "below") }
    }

    @Test func anIntermediatesCRLRevokesWhatItIssued() throws {
        let chain = try Chain()
        let leaf = try chain.leaf()
        let crl = try chain.intermediate.makeCRL(revoked: [.init(serial: leaf.serialNumber.hexString, revokedAt: Date(), reason: 1)], number: 1)
        let serials = try RevocationListDecoder.revokedSerials(der: crl, issuer: chain.intermediate.rootCertificate)
        #expect(serials == [leaf.serialNumber.hexString])
        #expect(throws: MembershipError.self) { _ = try chain.membership(revoked: serials).validate(leaf, at: Date()) }
    }

    @Test func openSSLVerifiesThePathAndRefusesItWithoutTheIntermediate() throws {
        let chain = try Chain()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let root = try write(try chain.root.rootCertificate.serializeAsPEM().pemString, named: "root.pem", in: directory)
        let intermediate = try write(try chain.intermediate.rootCertificate.serializeAsPEM().pemString, named: "intermediate.pem", in: directory)
        let leaf = try write(try chain.leaf().serializeAsPEM().pemString, named: "leaf.pem", in: directory)
        let verified = try openssl(["verify", "-purpose", "sslclient", "-CAfile", root, "-untrusted", intermediate, leaf])
        #expect(verified.status == 0 && verified.output.contains("OK"), "\(verified.output)")
        let alone = try openssl(["verify", "-purpose", "sslclient", "-CAfile", root, leaf])
        #expect(alone.status != 0, "OpenSSL verified a leaf without its intermediate: \(alone.output)")
    }
}
