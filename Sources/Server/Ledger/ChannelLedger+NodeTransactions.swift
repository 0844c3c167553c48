internal import Foundation
internal import Identity
internal import LedgerCore
internal import Schema
internal import Wire

/// What a transaction this node ran as its own peer returned, and where it committed.
struct NodeTransactionOutcome: Sendable {
    let txID: String
    /// The chaincode's response: seen by this node, not by the client it acted for.
    let response: Medledger_V1_Response
    let blockNumber: UInt64
}

extension ChannelLedger {
    /// Runs `function` of `chaincode` as a transaction created by this node's own peer `peer`:
    /// proposes it, endorses it, signs the envelope, orders it and waits until it commits VALID.
    /// The node acts on a client's behalf this way when the client must not see the answer
    /// (a study's `StudyRecords`, which names patients).
    func submitAsNode(
        _ peer: HostedPeer, chaincode: String, function: String, args: [Data], now: Date = Date()
    ) async throws -> NodeTransactionOutcome {
        let proposal = Medledger_V1_Proposal(
            channel: channelID, chaincode: chaincode, function: function, args: args, creator: peer.signer.certificateDER, at: now)
        let endorsed = try await endorse(try peer.signer.sign(proposal), organizations: [], now: now)
        guard var envelope = endorsed.preparedTransaction else {
            throw GatewayError.unavailable("the endorsement of \(function) prepared no transaction")
        }
        envelope.signature = try peer.signer.sign(envelope.payload)
        let ticket = try await submitWatchingCommit(envelope.serializedData(), declaredTxID: proposal.txID)
        guard let location = try await self.peer.waitForCommit(ticket) else {
            throw GatewayError.unavailable("the node stopped before \(function) transaction \(proposal.txID) committed")
        }
        guard location.code == .valid else {
            throw GatewayError.unavailable("\(function) transaction \(proposal.txID) committed as \(location.code); ask again")
        }
        return NodeTransactionOutcome(txID: proposal.txID, response: endorsed.result ?? .init(), blockNumber: location.blockNumber)
    }
}
