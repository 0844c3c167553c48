internal import ArgumentParser
internal import Foundation
internal import GRPCCore
internal import Identity
internal import LedgerCore
internal import Schema
internal import Wire

extension ChannelCommand {
    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Submit an approved configuration proposal; answers once it has committed.",
            discussion: """
                Signs the update as the --identity administrator, whose signature counts as an approval too, and sends \
                it with the approvals in FILE. The node refuses it, naming the admin policy and who approved, unless \
                the approvals satisfy the admin policy in force. The new configuration applies from the next block on.
                """
        )

        @OptionGroup var connection: NodeConnectionOptions
        @Argument(help: ArgumentHelp("The approved proposal.", valueName: "FILE")) var file: String

        func run() async throws {
            guard let identity = connection.identity else { throw ValidationError("give --identity DIR (an admin)") }
            let (proposal, config) = try ConfigProposalFile.read(file)
            let envelope = try ConfigUpdate.envelope(config: config, approvals: proposal.signatures, creator: try identity.loadSigner())
            var request = Medledger_V1_UpdateChannelConfigRequest()
            request.envelope = envelope.serializedData()
            let response = try await reportingRPCErrors {
                try await connection.withNodeClient(requireIdentity: true) { client in
                    try await Medledger_V1_Admin.Client(wrapping: client).updateChannelConfig(request)
                }
            }
            let sequence = response.config?.sequence ?? config.sequence
            print("channel \(config.channelID) is at sequence \(sequence) (configuration block \(response.configBlockNumber))")
        }
    }
}
