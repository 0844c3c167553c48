internal import ArgumentParser
internal import Foundation
internal import GRPCCore
internal import Identity
internal import LedgerCore
internal import Schema
internal import SwiftASN1
internal import X509

extension ChannelCommand {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the configuration in force on a channel: members, policies and batch limits.")

        @OptionGroup var connection: NodeConnectionOptions
        @Option(help: "The channel.") var channel: String

        func run() async throws {
            var request = Medledger_V1_GetChannelConfigRequest()
            request.channelID = channel
            let response = try await reportingRPCErrors {
                try await connection.withNodeClient(requireIdentity: true) { client in
                    try await Medledger_V1_Admin.Client(wrapping: client).getChannelConfig(request)
                }
            }
            let config = response.config ?? .init()
            print("channel \(config.channelID): sequence \(config.sequence), configuration block \(response.configBlockNumber)")
            print("organisations:")
            for organization in config.organizations { print(Self.describe(organization)) }
            print("policies:")
            print("  default endorsement: \(config.defaultEndorsementPolicy?.summary ?? "none")")
            for (chaincode, policy) in config.endorsementPolicies.sorted(by: { $0.key < $1.key }) {
                print("  endorsement of \(chaincode): \(policy.summary)")
            }
            for rule in config.dataOwnerRules { print("  data owners also endorse: \(rule.summary)") }
            print("  admin: \(config.adminPolicy?.summary ?? "none")")
            print("batch:")
            for setting in (config.batch ?? .init()).settings { print("  \(setting.name): \(setting.value)") }
        }

        /// The organisation's lines: roots by subject CN and expiry, CRLs with the serials they
        /// revoke, endpoints.
        static func describe(_ organization: Medledger_V1_OrganizationConfig) -> String {
            let roots = organization.rootCerts.compactMap { try? Certificate(derEncoded: Array($0)) }
            let rootNames = roots.map { root in
                let name = Membership.values(of: .RDNAttributeType.commonName, in: root.subject).first ?? "\(root.subject)"
                return "\(name) (expires \(root.notValidAfter.ISO8601Format()))"
            }
            let unreadable = organization.rootCerts.count - roots.count
            let revoked = organization.crls.reduce(into: Set<String>()) { serials, crl in
                serials.formUnion(roots.lazy.compactMap { try? RevocationListDecoder.revokedSerials(der: crl, issuer: $0) }.first ?? [])
            }
            func list(_ items: [String]) -> String { items.isEmpty ? "none" : items.joined(separator: ", ") }
            var lines = [
                "  \(organization.mspID)",
                "    roots: \(list(rootNames + (unreadable > 0 ? ["\(unreadable) unreadable"] : [])))",
            ]
            if !organization.intermediateCerts.isEmpty { lines.append("    intermediates: \(organization.intermediateCerts.count)") }
            lines += [
                "    crls: \(organization.crls.count) (\(revoked.count) revoked serials)",
                "    peers: \(list(organization.peerEndpoints))",
                "    orderers: \(list(organization.ordererEndpoints))",
            ]
            return lines.joined(separator: "\n")
        }
    }
}
