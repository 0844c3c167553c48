internal import Chaincode
internal import Foundation
internal import Identity
internal import LedgerCore
internal import LedgerStore
internal import Schema
internal import Wire

extension ChannelLedger {
    /// Verifies the signed proposal, simulates it on current state and signs the result. A
    /// chaincode error response is refused, not endorsed. Nothing is written. The peers of
    /// `organizations` endorse (default: the creator's organisation's, see `HostedPeer`).
    func endorse(_ signed: Medledger_V1_SignedProposal, organizations: [String] = [], now: Date) throws -> Medledger_V1_EndorseResponse {
        let (proposal, creator) = try endorser.verify(signed, channel: context, now: now)
        let endorsers = try endorsingPeers(requested: organizations, creator: creator, chaincode: proposal.chaincodeName, now: now)
        let simulation = try simulate(proposal, creator: creator)
        return try endorser.endorse(
            proposal, by: endorsers, results: simulation.readWriteSets, event: simulation.event, response: simulation.response)
    }

    /// Verifies the signed proposal and runs it as a query; nothing is ordered.
    func evaluate(_ signed: Medledger_V1_SignedProposal, now: Date) throws -> Medledger_V1_Response {
        let (proposal, creator) = try endorser.verify(signed, channel: context, now: now)
        return try simulate(proposal, creator: creator).response
    }

    /// The requested organisations' peers; with none requested, the default peer if it satisfies
    /// the chaincode's endorsement policy alone, else every hosted peer of a member organisation.
    private func endorsingPeers(requested: [String], creator: Identity, chaincode: String, now: Date) throws -> [HostedPeer] {
        let chosen = try peers.endorsers(requested: requested, creatorMSP: creator.mspID, isMember: context.isMember)
        guard requested.isEmpty else { return chosen }
        let identities = { (set: [HostedPeer]) in set.compactMap { try? self.context.identity(der: $0.signer.certificateDER, at: now) } }
        if EndorsementPolicyEvaluator().isSatisfied(context.endorsementPolicy(for: chaincode), by: identities(chosen)) {
            return chosen
        }
        return peers.filter { context.isMember($0.mspID) }
    }

    private func simulate(_ proposal: Medledger_V1_Proposal, creator: Identity) throws -> SimulationResult {
        let result: SimulationResult
        do {
            // Each read is its own consistent read rather than one snapshot for the whole simulation:
            // most functions read little or nothing, and validation's MVCC and phantom checks reject
            // a transaction whose reads came from different commits anyway.
            result = try chaincodes.simulate(proposal: proposal, creator: creator, state: store)
        } catch {
            throw StatusMapping.rpcError(for: error)
        }
        guard result.response.status < 400 else {
            throw GatewayError.chaincodeRefused(status: result.response.status, message: result.response.message)
        }
        return result
    }
}
