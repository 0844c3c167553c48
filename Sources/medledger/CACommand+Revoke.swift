internal import ArgumentParser
internal import Foundation
internal import GRPCCore
internal import Identity
internal import Schema
internal import Server

extension CACommand {
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an identity or one certificate (admin).")

        @OptionGroup var connection: NodeConnectionOptions
        @Option(name: .customLong("id"), help: "Revoke every certificate of this identity.") var enrollmentID: String?
        @Option(help: "Revoke the certificate with this serial (hex).") var serial: String?
        @Option(help: "RFC 5280 reason code (0 unspecified, 1 keyCompromise, 4 superseded, …).") var reason: Int32 = 0

        func validate() throws {
            guard (enrollmentID == nil) != (serial == nil) else { throw ValidationError("give exactly one of --id, --serial") }
        }

        func run() async throws {
            var request = Medledger_V1_RevokeRequest()
            if let enrollmentID { request.enrollmentID = enrollmentID }
            if let serial { request.serial = serial }
            request.reason = Medledger_V1_RevocationReason(rawValue: reason)
            let response = try await reportingRPCErrors {
                try await connection.withClient(requireIdentity: true) { try await $0.revoke(request) }
            }
            print("Revoked: \(response.revokedSerials.isEmpty ? "(nothing new)" : response.revokedSerials.joined(separator: ", "))")
            print("CRL: \(response.crl.count) bytes")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List identities and certificate expiries (admin).")

        @OptionGroup var connection: NodeConnectionOptions
        @Option(help: "Only enrollment IDs starting with this.") var prefix = ""

        func run() async throws {
            var token = ""
            var expiring = 0
            repeat {
                var request = Medledger_V1_ListIdentitiesRequest()
                request.enrollmentIDPrefix = prefix
                request.pageToken = token
                let page = try await reportingRPCErrors {
                    try await connection.withClient(requireIdentity: true) { try await $0.listIdentities(request) }
                }
                for identity in page.identities {
                    let max = identity.maxEnrollments < 0 ? "unlimited" : "\(identity.maxEnrollments)"
                    let locked = identity.locked ? "  LOCKED after \(identity.failedAttempts) wrong secrets (medledger ca unlock)" : ""
                    let unlocked = identity.unlocks > 0 ? "  unlocked \(identity.unlocks)×" : ""
                    print("\(identity.enrollmentID)  role=\(identity.role.certificateName ?? "?")  enrollments=\(identity.enrollmentsUsed)/\(max)\(identity.revoked ? "  REVOKED" : "")\(locked)\(unlocked)")
                    let newest = identity.certificates.filter { !$0.revoked }.max { ($0.notAfter?.seconds ?? 0) < ($1.notAfter?.seconds ?? 0) }
                    for certificate in identity.certificates {
                        let expiry = Date(timeIntervalSince1970: TimeInterval(certificate.notAfter?.seconds ?? 0))
                        var state = certificate.revoked ? "revoked" : (expiry < Date() ? "expired" : "valid")
                        let daysLeft = Int(expiry.timeIntervalSinceNow / 86_400)
                        if certificate.serial == newest?.serial, !identity.revoked, expiry > Date(), expiry.timeIntervalSinceNow < ExpiryWatch.horizon {
                            state = "EXPIRES IN \(daysLeft) DAYS: re-enroll (medledger ca reenroll)"
                            expiring += 1
                        }
                        print("    serial \(certificate.serial)  expires \(expiry.ISO8601Format())  \(state)")
                    }
                }
                token = page.nextPageToken
            } while !token.isEmpty
            if expiring > 0 { print("\(expiring) identities' certificates expire within 30 days") }
        }
    }
}
