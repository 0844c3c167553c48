import CertificateAuthority
import Foundation
import Identity
import Logging
import Schema
import Server
import Testing
import X509

/// Expiry warnings cover every registered identity, not only the organisation root.
@Suite("Certificate expiry warnings")
struct ExpiryWatchTests {
    let logger = Logger(label: "medledger.tests.expiry")

    func authority() throws -> OrganizationCA {
        OrganizationCA(authority: try CertificateAuthority.create(mspID: "HospitalAMSP", name: "HospitalA CA"), store: try RegistrationStore(path: nil))
    }

    /// Registers and enrolls `name`; returns its certificate's end of validity.
    func enroll(_ name: String, with ca: OrganizationCA) throws -> Date {
        let secret = try ca.register(enrollmentID: name, role: .clinician)
        let (_, csr) = try IdentityFolder.makeCSR(commonName: name)
        return try ca.enroll(enrollmentID: name, secret: secret, csr: csr).notValidAfter
    }

    @Test func anIdentityWhoseNewestCertificateEndsWithinThirtyDaysIsNamed() throws {
        let ca = try authority()
        let expiry = try enroll("dr-soon", with: ca)
        _ = try enroll("dr-later", with: ca)

        let early = ExpiryWatch.check(ca: ca, now: expiry.addingTimeInterval(-60 * 86_400), logger: logger)
        #expect(!early.contains { $0.contains("dr-soon") }, "60 days ahead is not yet a warning: \(early)")

        let warnings = ExpiryWatch.check(ca: ca, now: expiry.addingTimeInterval(-10 * 86_400), logger: logger)
        let warning = try #require(warnings.first { $0.contains("dr-soon") }, "\(warnings)")
        #expect(warning.contains("expires at \(expiry.ISO8601Format())") && warning.contains("medledger ca reenroll"))

        let late = ExpiryWatch.check(ca: ca, now: expiry.addingTimeInterval(5 * 86_400), logger: logger)
        #expect(late.contains { $0.contains("dr-soon") && $0.contains("expired at") }, "a certificate that just expired: \(late)")
        let long = ExpiryWatch.check(ca: ca, now: expiry.addingTimeInterval(90 * 86_400), logger: logger)
        #expect(!long.contains { $0.contains("dr-soon") }, "an identity gone for months is not warned about forever")
    }

    @Test func aRevokedOrReenrolledIdentityIsNotWarnedAbout() throws {
        let ca = try authority()
        let expiry = try enroll("dr-gone", with: ca)
        _ = try enroll("dr-renewed", with: ca)
        _ = try ca.revoke(.identity("dr-gone"), reason: 0)
        let soon = expiry.addingTimeInterval(-10 * 86_400)
        // Re-enrolled 20 days before the end: the new certificate runs far beyond the horizon.
        let (_, csr) = try IdentityFolder.makeCSR(commonName: "dr-renewed")
        _ = try ca.reenroll(enrollmentID: "dr-renewed", csr: csr, now: expiry.addingTimeInterval(-20 * 86_400))
        let warnings = ExpiryWatch.check(ca: ca, now: soon, logger: logger)
        #expect(!warnings.contains { $0.contains("dr-gone") || $0.contains("dr-renewed") }, "\(warnings)")
    }
}
