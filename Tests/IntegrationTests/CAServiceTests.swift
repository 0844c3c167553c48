import CertificateAuthority
import Crypto
import Foundation
import GRPCCore
import Identity
import MedLedgerTesting
import Schema
import Server
import SwiftASN1
import Testing
import X509

/// The CertificateAuthority service over real loopback TLS: enrollment without a client
/// certificate, protected calls with one, and every refusal with its status and reason.
@Suite("CertificateAuthority over TLS and mTLS", .timeLimit(.minutes(5)))
struct CAServiceTests {
    /// Enrolls `id` (already registered) over TLS with a locally made key and writes its identity folder.
    func enroll(_ running: RunningServer, _ id: String, secret: String, into directory: TemporaryDirectory) async throws
        -> IdentityFolder
    {
        let (key, csr) = try IdentityFolder.makeCSR(commonName: id)
        var request = Medledger_V1_EnrollRequest()
        request.enrollmentID = id
        request.secret = secret
        request.csr = Data(csr)
        let response = try await withCAClient(running) { try await $0.enroll(request, options: callOptions()) }
        let folder = IdentityFolder(directory: directory.url.appendingPathComponent(id))
        try folder.save(
            key: key,
            certificate: try Certificate(derEncoded: Array(response.certificate)),
            caCertificate: try Certificate(derEncoded: Array(response.caChain.last!))
        )
        return folder
    }

    func register(_ running: RunningServer, _ id: String, role: Medledger_V1_Role) async throws -> String {
        var request = Medledger_V1_RegisterRequest()
        request.enrollmentID = id
        request.role = role
        return try await withCAClient(running, identity: running.admin) {
            try await $0.register(request, options: callOptions())
        }.secret
    }

    /// The status of a Register call made as `identity` (nil: no client certificate).
    func registerStatus(_ running: RunningServer, as identity: IdentityFolder?, id: String) async -> RPCError? {
        var request = Medledger_V1_RegisterRequest()
        request.enrollmentID = id
        request.role = .patient
        do {
            _ = try await withCAClient(running, identity: identity) { try await $0.register(request, options: callOptions()) }
            return nil
        } catch {
            return error as? RPCError
        }
    }

    @Test("Register as admin, enroll without a client certificate, re-enroll and list with mTLS")
    func lifecycle() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        try await withRunningServer { running in
            let info = try await withCAClient(running) { try await $0.getCAInfo(Medledger_V1_GetCAInfoRequest(), options: callOptions()) }
            #expect(info.mspID == "MedLedgerOrg1MSP")

            let secret = try await register(running, "dr.who", role: .clinician)
            let folder = try await enroll(running, "dr.who", secret: secret, into: scratch)
            let first = try folder.loadCertificate()
            #expect(try running.ca.membership().validate(first, at: Date()).role == .clinician)

            let (newKey, csr) = try IdentityFolder.makeCSR(commonName: "dr.who")
            var reenroll = Medledger_V1_ReenrollRequest()
            reenroll.csr = Data(csr)
            let renewed = try await withCAClient(running, identity: folder) { try await $0.reenroll(reenroll, options: callOptions()) }
            let second = try Certificate(derEncoded: Array(renewed.certificate))
            #expect(second.publicKey == Certificate.PublicKey(newKey.publicKey))
            #expect(second.serialNumber != first.serialNumber)

            var list = Medledger_V1_ListIdentitiesRequest()
            list.enrollmentIDPrefix = "dr."
            let page = try await withCAClient(running, identity: running.admin) { try await $0.listIdentities(list, options: callOptions()) }
            #expect(page.identities.map(\.enrollmentID) == ["dr.who"])
            #expect(page.identities.first?.certificates.count == 2)
        }
    }

    @Test("The denial matrix: each refusal has the right status and reason, and writes nothing")
    func denialMatrix() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        try await withRunningServer { running in
            // No client certificate.
            let none = await registerStatus(running, as: nil, id: "p1")
            #expect(none?.code == .unauthenticated)
            #expect(none?.message.contains("requires a client certificate") == true)

            // A certificate from another organisation's CA (and its self-signed root).
            let other = try OrganizationCA(
                authority: CertificateAuthority.create(mspID: "EvilMSP", name: "Evil CA"), store: RegistrationStore(path: nil)
            )
            let otherSecret = try other.register(enrollmentID: "mallory", role: .admin)
            let (otherKey, otherCSR) = try IdentityFolder.makeCSR(commonName: "mallory")
            let foreign = IdentityFolder(directory: scratch.url.appendingPathComponent("foreign"))
            try foreign.save(
                key: otherKey,
                certificate: try other.enroll(enrollmentID: "mallory", secret: otherSecret, csr: otherCSR),
                caCertificate: other.authority.rootCertificate
            )
            let foreignStatus = await registerStatus(running, as: foreign, id: "p2")
            #expect(foreignStatus?.code == .unauthenticated)
            #expect(foreignStatus?.message.contains("not a member organisation's CA") == true)
            #expect(foreignStatus?.message.contains("mallory") == true)

            // An expired certificate from our own CA.
            let expiredKey = P256.Signing.PrivateKey()
            let expired = try running.ca.authority.issue(
                publicKey: .init(expiredKey.publicKey),
                profile: .enrollment(enrollmentID: "old.admin", role: .admin, attributes: [:]),
                now: Date().addingTimeInterval(-7200), validity: 3600
            )
            let expiredFolder = IdentityFolder(directory: scratch.url.appendingPathComponent("expired"))
            try expiredFolder.save(key: expiredKey, certificate: expired, caCertificate: running.ca.authority.rootCertificate)
            let expiredStatus = await registerStatus(running, as: expiredFolder, id: "p3")
            #expect(expiredStatus?.code == .unauthenticated)
            #expect(expiredStatus?.message.contains("expired") == true)

            // A valid identity with the wrong role.
            let clinician = try await enroll(running, "nurse", secret: try await register(running, "nurse", role: .clinician), into: scratch)
            let wrongRole = await registerStatus(running, as: clinician, id: "p4")
            #expect(wrongRole?.code == .permissionDenied)
            #expect(wrongRole?.message.contains("requires role admin") == true)
            #expect(wrongRole?.message.contains("clinician") == true)

            // A revoked certificate.
            _ = try running.ca.revoke(.identity("nurse"), reason: 1)
            let revoked = await registerStatus(running, as: clinician, id: "p5")
            #expect(revoked?.code == .unauthenticated)
            #expect(revoked?.message.contains("revoked") == true)

            // Nothing above registered anyone.
            for id in ["p1", "p2", "p3", "p4", "p5"] {
                #expect(try running.ca.store.registration(id) == nil)
            }

            // A tampered CSR signature, then a replayed secret.
            let secret = try await register(running, "once", role: .patient)
            var (_, csr) = try IdentityFolder.makeCSR(commonName: "once")
            csr[csr.count - 4] ^= 0x01
            var tampered = Medledger_V1_EnrollRequest()
            tampered.enrollmentID = "once"
            tampered.secret = secret
            tampered.csr = Data(csr)
            let tamperedError = await #expect(throws: RPCError.self) {
                try await withCAClient(running) { try await $0.enroll(tampered, options: callOptions()) }
            }
            #expect(tamperedError?.code == .invalidArgument)
            #expect(tamperedError?.message.contains("signature") == true)
            #expect(try running.ca.store.certificates(of: "once").isEmpty)

            _ = try await enroll(running, "once", secret: secret, into: scratch)
            let replay = await #expect(throws: RPCError.self) {
                try await enroll(running, "once", secret: secret, into: scratch)
            }
            #expect(replay?.code == .permissionDenied)
            #expect(replay?.message.contains("used all 1") == true)
            #expect(try running.ca.store.certificates(of: "once").count == 1)
        }
    }

    @Test("Wrong secrets over gRPC lock the identity out")
    func lockoutOverGRPC() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        try await withRunningServer { running in
            _ = try await register(running, "target", role: .patient)
            var codes: [RPCError.Code] = []
            for _ in 0..<running.ca.policy.maxFailedAttempts {
                do {
                    _ = try await enroll(running, "target", secret: "not-the-secret", into: scratch)
                } catch let error as RPCError {
                    codes.append(error.code)
                }
            }
            #expect(codes.dropLast().allSatisfy { $0 == .unauthenticated })
            #expect(codes.last == .permissionDenied)
            #expect(try running.ca.store.registration("target")?.failedAttempts == running.ca.policy.maxFailedAttempts)
            #expect(try running.ca.store.certificates(of: "target").isEmpty)
        }
    }

    @Test("An admin unlocks a locked identity with a new secret, recorded; nobody else can, and only a locked one")
    func unlockOverGRPC() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        try await withRunningServer { running in
            let oldSecret = try await register(running, "target", role: .patient)
            var unlock = Medledger_V1_UnlockRequest()
            unlock.enrollmentID = "target"
            let notLocked = await #expect(throws: RPCError.self) {
                try await withCAClient(running, identity: running.admin) { try await $0.unlock(unlock, options: callOptions()) }
            }
            #expect(notLocked?.code == .failedPrecondition && notLocked?.message.contains("not locked (0 of 5") == true, "\(String(describing: notLocked))")
            for _ in 0..<running.ca.policy.maxFailedAttempts {
                _ = try? await enroll(running, "target", secret: "not-the-secret", into: scratch)
            }
            var list = Medledger_V1_ListIdentitiesRequest()
            list.enrollmentIDPrefix = "target"
            let before = try await withCAClient(running, identity: running.admin) { try await $0.listIdentities(list, options: callOptions()) }
            #expect(before.identities.first?.locked == true && before.identities.first?.failedAttempts == 5)

            // A user of the organisation (not an admin) may not unlock.
            let clinician = try await enroll(running, "helper", secret: try await register(running, "helper", role: .clinician), into: scratch)
            let refused = await #expect(throws: RPCError.self) {
                try await withCAClient(running, identity: clinician) { try await $0.unlock(unlock, options: callOptions()) }
            }
            #expect(refused?.code == .permissionDenied, "\(String(describing: refused))")

            let unlocked = try await withCAClient(running, identity: running.admin) { try await $0.unlock(unlock, options: callOptions()) }
            #expect(unlocked.failedAttempts == 5 && unlocked.secret != oldSecret && !unlocked.secret.isEmpty)
            // The old secret is gone with the lock; the new one enrolls.
            let stale = await #expect(throws: RPCError.self) { try await enroll(running, "target", secret: oldSecret, into: scratch) }
            #expect(stale?.code == .unauthenticated)
            _ = try await enroll(running, "target", secret: unlocked.secret, into: scratch)
            let recorded = try running.ca.unlocks(of: "target")
            #expect(recorded.count == 1 && recorded.first?.unlockedBy.hasSuffix("@\(running.ca.mspID)") == true && recorded.first?.failedAttempts == 5)
            let after = try await withCAClient(running, identity: running.admin) { try await $0.listIdentities(list, options: callOptions()) }
            #expect(after.identities.first?.locked == false && after.identities.first?.unlocks == 1)
        }
    }
}
