internal import Foundation
internal import GRPCCore
internal import Identity
internal import LedgerCore
internal import Schema
internal import Wire

/// The gateway's reach to other organisations' peers, as Fabric's Gateway gathers endorsements:
/// when the chaincode's policy needs organisations this node does not host, it sends the
/// client's signed proposal to a peer of each (addresses from the channel configuration, over
/// mTLS, trying the organisation's next peer when one fails) and adds their endorsements to its
/// own — provided every peer simulated the same results.
struct RemoteEndorsement: Sendable {
    let current: CurrentChannelContext
    let peers: OrganizationPeers

    /// `local` (this node's endorsement of `signed`) with the endorsements of a peer of each of
    /// `organizations` added.
    func complete(
        _ local: Medledger_V1_EndorseResponse, of signed: Medledger_V1_SignedProposal, by organizations: [String]
    ) async throws(GatewayError) -> Medledger_V1_EndorseResponse {
        guard var prepared = local.preparedTransaction,
            let transaction = try? Medledger_V1_Transaction(serializedData: prepared.payload),
            case .endorserTransaction(var endorsed)? = transaction.body, let proposal = endorsed.proposal
        else {
            throw .unavailable("this node's endorsement prepared no endorser transaction")
        }
        for organization in organizations {
            let (endpoint, theirs) = try await endorsement(of: signed, proposal: proposal, by: organization)
            guard theirs.proposalResponsePayload == endorsed.proposalResponsePayload else {
                throw .aborted(
                    "the peer of \(organization) at \(endpoint) and \(ownPeers(of: endorsed)) simulated different results for transaction \(proposal.txID) (the state they read differs; submit again)")
            }
            endorsed.endorsements += theirs.endorsements
        }
        var combined = Medledger_V1_Transaction()
        combined.body = .endorserTransaction(endorsed)
        prepared.payload = combined.serializedData()
        var response = local
        response.preparedTransaction = prepared
        return response
    }

    /// This node's endorsing peers, named by organisation and the address the channel gives for it.
    private func ownPeers(of endorsed: Medledger_V1_EndorserTransaction) -> String {
        let config = current.context.config
        let organizations = endorsed.endorsements.compactMap { try? current.context.identity(der: $0.endorser, at: Date()).mspID }
        let named = organizations.map { organization in
            let endpoints = config.organizations.first { $0.mspID == organization }?.peerEndpoints ?? []
            return "the peer of \(organization)" + (endpoints.isEmpty ? "" : " at \(endpoints.joined(separator: " or "))")
        }
        return named.isEmpty ? "this node's peer" : "this node's " + named.joined(separator: " and ")
    }

    /// The endorser transaction a peer of `organization` prepared for `signed`, and its address.
    private func endorsement(
        of signed: Medledger_V1_SignedProposal, proposal: Medledger_V1_Proposal, by organization: String
    ) async throws(GatewayError) -> (String, Medledger_V1_EndorserTransaction) {
        var request = Medledger_V1_EndorseRequest()
        request.transactionID = proposal.txID
        request.channelID = proposal.channelID
        request.proposedTransaction = signed
        request.endorsingOrganizations = [organization]
        return try await peers.call(organization, on: current.context, to: "endorse transaction \(proposal.txID)") { client, options, endpoint in
            let response = try await Medledger_V1_Gateway.Client(wrapping: client).endorse(request, options: options)
            guard let payload = response.preparedTransaction?.payload,
                let transaction = try? Medledger_V1_Transaction(serializedData: payload),
                case .endorserTransaction(let endorsed)? = transaction.body
            else {
                throw GatewayError.unavailable("the peer of \(organization) at \(endpoint) prepared no endorser transaction")
            }
            return (endpoint, endorsed)
        }
    }
}
