internal import ArgumentParser
internal import Foundation
internal import GRPCCore
internal import Identity
internal import Schema

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
            repeat {
                var request = Medledger_V1_ListIdentitiesRequest()
                request.enrollmentIDPrefix = prefix
                request.pageToken = token
                let page = try await reportingRPCErrors {
                    try await connection.withClient(requireIdentity: true) { try await $0.listIdentities(request) }
                }
                for identity in page.identities {
                    let max = identity.maxEnrollments < 0 ? "unlimited" : "\(identity.maxEnrollments)"
                    print("\(identity.enrollmentID)  role=\(identity.role.certificateName ?? "?")  enrollments=\(identity.enrollmentsUsed)/\(max)\(identity.revoked ? "  REVOKED" : "")")
                    for certificate in identity.certificates {
                        let expiry = Date(timeIntervalSince1970: TimeInterval(certificate.notAfter?.seconds ?? 0))
                        let state = certificate.revoked ? "revoked" : (expiry < Date() ? "expired" : "valid")
                        print("    serial \(certificate.serial)  expires \(expiry.ISO8601Format())  \(state)")
                    }
                }
                token = page.nextPageToken
            } while !token.isEmpty
        }
    }
}
