internal import Foundation
internal import Identity
internal import LedgerCore
internal import Schema
internal import Wire

/// The peer's half of Endorse and Evaluate: checks a signed proposal (decodes, channel, tx ID,
/// nonce, clock skew, creator membership at the proposal's time, signature), and turns a successful
/// simulation into the signed endorsement and the unsigned transaction the client must sign.
struct Endorser: Sendable {
    /// Where the endorsements this node signs are remembered, for its own validator.
    var issued: IssuedSignatures?
    /// How far a proposal's timestamp may lie from the peer's clock.
    var allowedClockSkew: TimeInterval = 15 * 60

    /// The proposal and its creator, or why the signed proposal is refused.
    func verify(_ signed: Medledger_V1_SignedProposal, channel: ChannelContext, now: Date) throws(GatewayError)
        -> (Medledger_V1_Proposal, Identity)
    {
        let proposal: Medledger_V1_Proposal
        do { proposal = try Medledger_V1_Proposal(serializedData: signed.proposalBytes) } catch {
            throw .invalidArgument("proposed_transaction.proposal_bytes does not decode as a Proposal: \(error)")
        }
        guard proposal.channelID == channel.channelID else {
            throw .invalidArgument("the proposal names channel \(QuotedInput.quote(proposal.channelID)) but was sent for \(QuotedInput.quote(channel.channelID))")
        }
        guard !proposal.chaincodeName.isEmpty, let input = proposal.input, !input.function.isEmpty else {
            throw .invalidArgument("the proposal must name a chaincode and a function (chaincode_name, input.function)")
        }
        guard proposal.nonce.count >= TransactionID.minimumNonceLength else {
            throw .invalidArgument("proposal.nonce has \(proposal.nonce.count) bytes; at least \(TransactionID.minimumNonceLength) are required")
        }
        guard TransactionID.compute(nonce: proposal.nonce, creator: proposal.creator) == proposal.txID else {
            throw .invalidArgument("proposal.tx_id \(QuotedInput.quote(proposal.txID)) is not the hex SHA-256 of nonce || creator")
        }
        guard let timestamp = proposal.timestamp else { throw .invalidArgument("proposal.timestamp is missing") }
        guard abs(timestamp.date.timeIntervalSince(now)) <= allowedClockSkew else {
            throw .invalidArgument("proposal.timestamp \(timestamp.date.ISO8601Format()) is more than \(Int(allowedClockSkew)) s from the peer's clock")
        }
        let creator: Identity
        do { creator = try channel.identity(der: proposal.creator, at: timestamp.date) } catch {
            throw .badSignature("the proposal's creator is not a member of channel \(QuotedInput.quote(channel.channelID)): \(error)")
        }
        guard SignatureVerifier.isValid(signature: signed.signature, payload: signed.proposalBytes, key: creator.publicKey) else {
            throw .badSignature("the proposal signature does not verify against the certificate of \(creator)")
        }
        return (proposal, creator)
    }

    /// The endorsed transaction for the client to sign: the proposal with transient data removed,
    /// the response payload, and each of `peers`' endorsement over it.
    func endorse(
        _ proposal: Medledger_V1_Proposal,
        by peers: [HostedPeer],
        results: [Medledger_V1_ReadWriteSet],
        event: Medledger_V1_ChaincodeEvent?,
        response: Medledger_V1_Response
    ) throws -> Medledger_V1_EndorseResponse {
        var recorded = proposal
        recorded.transient = [:]
        var payload = Medledger_V1_ProposalResponsePayload()
        payload.proposalHash = ProposalHash.of(recorded)
        payload.results = results
        payload.event = event
        payload.response = response
        let payloadBytes = payload.serializedData()
        let endorsements = try peers.map { peer in
            var endorsement = Medledger_V1_Endorsement()
            endorsement.endorser = peer.signer.certificateDER
            // The endorsement signs payload || endorser certificate; its digest also keys `issued`.
            let digest = IssuedSignatures.digest(payloadBytes, peer.signer.certificateDER)
            endorsement.signature = try peer.signer.sign(digest: digest)
            issued?.record(signature: endorsement.signature, signedDigest: digest)
            return endorsement
        }

        var endorsed = Medledger_V1_EndorserTransaction()
        endorsed.proposal = recorded
        endorsed.proposalResponsePayload = payloadBytes
        endorsed.endorsements = endorsements
        var transaction = Medledger_V1_Transaction()
        transaction.body = .endorserTransaction(endorsed)
        var prepared = Medledger_V1_Envelope()
        prepared.payload = transaction.serializedData()
        var result = Medledger_V1_EndorseResponse()
        result.preparedTransaction = prepared
        result.result = response
        return result
    }
}
