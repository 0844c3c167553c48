internal import ArgumentParser
internal import Foundation
internal import Identity
internal import LedgerCore
internal import Schema
internal import SwiftASN1
internal import X509

extension ChannelCommand {
    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a proposed channel configuration as an administrator; no node is contacted.",
            discussion: """
                Signs the configuration in FILE and adds the approval to it, replacing an earlier approval by the same \
                certificate. Pass the file on to the next approving administrator, or to the one who runs update.
                """
        )

        @Argument(help: ArgumentHelp("The proposal, from `channel propose`.", valueName: "FILE")) var file: String
        @Option(name: .customLong("identity"), help: ArgumentHelp("The approving administrator's identity folder.", valueName: "DIR"))
        var identityDirectory: String

        func run() async throws {
            let (proposal, config) = try ConfigProposalFile.read(file)
            let folder = IdentityFolder(directory: URL(fileURLWithPath: identityDirectory))
            let signer = try folder.loadSigner()
            let approver = ConfigProposalFile.name(ofCertificate: signer.certificateDER)
            // The admin policy counts administrators only; another role's approval would be ignored.
            let certificate = try folder.loadCertificate()
            let role = Membership.values(of: .RDNAttributeType.organizationalUnitName, in: certificate.subject)
                .lazy.compactMap(Medledger_V1_Role.init(certificateName:)).first
            guard role == .admin else {
                throw ValidationError("\(approver) (\(identityDirectory)) is \(role?.certificateName ?? "of no role"), not an administrator: only administrators approve")
            }
            var approved = proposal
            approved.signatures.removeAll { $0.signer == signer.certificateDER }
            approved.signatures.append(try ConfigUpdate.approve(config, by: signer))
            try ConfigProposalFile.write(approved, to: file)
            let approvers = approved.signatures.map { ConfigProposalFile.name(ofCertificate: $0.signer) }
            print("\(approver) approved channel \(config.channelID) sequence \(config.sequence); \(file) holds \(approvers.count) approval\(approvers.count == 1 ? "" : "s"): \(approvers.joined(separator: ", "))")
        }
    }
}
