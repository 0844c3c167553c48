public import Foundation
internal import Identity
internal import Schema
internal import Wire

/// The stateless half of commit-time validation, one transaction at a time (safe to run in
/// parallel): the envelope decodes, its creator is a channel member at the proposal's time and
/// signed it, the tx ID is derived from nonce and creator, the endorsements are valid signatures
/// over the same response payload and satisfy the chaincode's endorsement policy, and the
/// read-write set is well formed and confined to the chaincode's namespace.
public struct TransactionValidator: Sendable {
    public let channel: ChannelContext
    /// Chaincode names this node can run; a transaction for any other is INVALID_CHAINCODE.
    public let knownChaincodes: Set<String>
    /// Endorsement signatures this node made itself (its own peers'); nil verifies every one.
    public let issued: IssuedSignatures?
    private let policies = EndorsementPolicyEvaluator()

    public init(channel: ChannelContext, knownChaincodes: Set<String>, issued: IssuedSignatures? = nil) {
        self.channel = channel
        self.knownChaincodes = knownChaincodes
        self.issued = issued
    }

    /// Checks one envelope of block `blockNumber`. `creatorSignatureVerified` says this node's
    /// orderer already verified the envelope's signature when it accepted it (`ledger verify` and
    /// other peers check it again).
    public func check(_ envelopeBytes: Data, blockNumber: UInt64, creatorSignatureVerified: Bool = false) -> CheckedTransaction {
        guard !envelopeBytes.isEmpty else { return .invalid(nil, .nilEnvelope, "the envelope is empty") }
        let envelope: Medledger_V1_Envelope
        let transaction: Medledger_V1_Transaction
        do {
            envelope = try Medledger_V1_Envelope(serializedData: envelopeBytes)
            transaction = try Medledger_V1_Transaction(serializedData: envelope.payload)
        } catch {
            return .invalid(nil, .badPayload, "the envelope does not decode: \(error)")
        }
        switch transaction.body {
        case .endorserTransaction(let endorsed)?:
            return check(endorsed, envelope: envelope, signatureVerified: creatorSignatureVerified)
        case .configTransaction(let change)?:
            return check(change, envelope: envelope, blockNumber: blockNumber)
        case nil:
            return .invalid(nil, .badPayload, "the transaction has no body")
        }
    }

    private func check(_ endorsed: Medledger_V1_EndorserTransaction, envelope: Medledger_V1_Envelope, signatureVerified: Bool) -> CheckedTransaction {
        guard let proposal = endorsed.proposal else {
            return .invalid(nil, .badPayload, "the endorser transaction has no proposal")
        }
        let txID = proposal.txID
        let time = (proposal.timestamp ?? .init()).date
        guard proposal.channelID == channel.channelID else {
            return .invalid(txID, .targetChainNotFound, "the transaction targets channel \(QuotedInput.quote(proposal.channelID)), not \(QuotedInput.quote(channel.channelID))")
        }
        guard proposal.nonce.count >= TransactionID.minimumNonceLength,
            TransactionID.compute(nonce: proposal.nonce, creator: proposal.creator) == txID
        else {
            return .invalid(txID, .badProposalTxid, "tx_id \(txID) is not SHA-256(nonce || creator) of a nonce of at least \(TransactionID.minimumNonceLength) bytes")
        }
        let creator: Identity
        do { creator = try channel.identity(der: proposal.creator, at: time) } catch {
            return .invalid(txID, .badCreator, "creator of \(txID): \(error)")
        }
        guard signatureVerified || SignatureVerifier.isValid(signature: envelope.signature, payload: envelope.payload, key: creator.publicKey) else {
            return .invalid(txID, .badCreatorSignature, "the envelope signature of \(txID) does not verify against \(creator)")
        }
        guard proposal.transient.isEmpty else {
            return .invalid(txID, .badPayload, "the ordered proposal of \(txID) still carries transient data")
        }
        guard knownChaincodes.contains(proposal.chaincodeName) else {
            return .invalid(txID, .invalidChaincode, "chaincode \(QuotedInput.quote(proposal.chaincodeName)) is not installed on this channel")
        }
        let payload: Medledger_V1_ProposalResponsePayload
        do { payload = try Medledger_V1_ProposalResponsePayload(serializedData: endorsed.proposalResponsePayload) } catch {
            return .invalid(txID, .badResponsePayload, "the proposal response payload of \(txID) does not decode: \(error)")
        }
        guard payload.proposalHash == ProposalHash.of(proposal) else {
            return .invalid(txID, .badResponsePayload, "the endorsed proposal hash of \(txID) does not match its proposal")
        }
        guard let response = payload.response, (200..<400).contains(response.status) else {
            return .invalid(txID, .badResponsePayload, "the chaincode response of \(txID) is an error (status \(payload.response?.status ?? 0))")
        }
        let endorsers: [Identity]
        switch checkEndorsements(endorsed, chaincode: proposal.chaincodeName, creator: creator, at: time) {
        case .success(let signers): endorsers = signers
        case .failure(let failure): return .invalid(txID, .endorsementPolicyFailure, "\(txID): \(failure.description)")
        }
        if let (code, reason) = checkShape(payload.results, chaincode: proposal.chaincodeName) {
            return .invalid(txID, code, "\(txID): \(reason)")
        }
        var checked = CheckedTransaction(txID: txID, code: .valid, readWriteSets: payload.results)
        checked.ownerRules = channel.config.dataOwnerRules.filter { $0.chaincode == proposal.chaincodeName }
        checked.endorsingPeerOrganizations = Set(endorsers.filter { $0.role == .peer }.map(\.mspID))
        return checked
    }

    /// The valid endorsers if they satisfy the chaincode's policy (its creator-organisation rules
    /// naming `creator`'s organisation); otherwise why not.
    private func checkEndorsements(
        _ endorsed: Medledger_V1_EndorserTransaction, chaincode: String, creator: Identity, at time: Date
    ) -> Result<[Identity], PolicyFailure> {
        var signers: [Identity] = []
        var rejected: [String] = []
        for endorsement in endorsed.endorsements {
            guard let endorser = try? channel.identity(der: endorsement.endorser, at: time) else {
                rejected.append("an endorser certificate is not a valid member certificate")
                continue
            }
            let ownSignature = issued?.contains(
                signature: endorsement.signature, payload: endorsed.proposalResponsePayload, signer: endorsement.endorser) ?? false
            var signed = endorsed.proposalResponsePayload
            signed.append(endorsement.endorser)
            guard ownSignature || SignatureVerifier.isValid(signature: endorsement.signature, payload: signed, key: endorser.publicKey) else {
                rejected.append("the endorsement of \(endorser) does not verify")
                continue
            }
            if !signers.contains(endorser) { signers.append(endorser) }
        }
        let policy = channel.endorsementPolicy(for: chaincode).resolved(creator: creator.mspID)
        guard policies.isSatisfied(policy, by: signers) else {
            let by = signers.map(\.description).joined(separator: ", ")
            let extra = rejected.isEmpty ? "" : " (\(rejected.joined(separator: "; ")))"
            return .failure(PolicyFailure(description: "endorsements by [\(by)] do not satisfy the policy \(policy.summary) of chaincode \(QuotedInput.quote(chaincode))\(extra)"))
        }
        return .success(signers)
    }

    /// Nil if the read-write sets are sorted, unique and touch only the chaincode's namespace.
    private func checkShape(_ sets: [Medledger_V1_ReadWriteSet], chaincode: String) -> (Medledger_V1_TxValidationCode, String)? {
        for (index, set) in sets.enumerated() {
            if index > 0, !StateKeyOrder.precedes(sets[index - 1].namespace, set.namespace) {
                return (.badRwset, "read-write sets are not sorted by namespace without repeats")
            }
            if set.namespace != chaincode {
                return set.writes.isEmpty
                    ? (.badRwset, "reads namespace \(QuotedInput.quote(set.namespace)) as chaincode \(QuotedInput.quote(chaincode))")
                    : (.illegalWriteset, "chaincode \(QuotedInput.quote(chaincode)) writes namespace \(QuotedInput.quote(set.namespace))")
            }
            for (position, write) in set.writes.enumerated() {
                if write.key.isEmpty { return (.badRwset, "a write has an empty key") }
                if !StateKeyOrder.isNormalized(write.key) { return (.badRwset, "write key \(QuotedInput.quote(write.key)) is not in Unicode NFC") }
                if position > 0, !StateKeyOrder.precedes(set.writes[position - 1].key, write.key) {
                    return (.badRwset, "writes are not sorted by key without repeats at \(QuotedInput.quote(write.key))")
                }
            }
        }
        return nil
    }

    /// A configuration transaction: the genesis configuration in block 0, else an update of the
    /// channel's configuration (`ConfigUpdate`). `BlockValidator` refuses one that shares its block.
    private func check(_ change: Medledger_V1_ConfigTransaction, envelope: Medledger_V1_Envelope, blockNumber: UInt64) -> CheckedTransaction {
        let txID = change.txID
        guard blockNumber == 0 else {
            do {
                let installed = try ConfigUpdate.check(change, envelope: envelope, current: channel, blockNumber: blockNumber)
                return CheckedTransaction(txID: txID, code: .valid, config: installed.config)
            } catch {
                return .invalid(txID, error.validationCode, "configuration update \(txID): \(error)")
            }
        }
        guard let config = change.config, config.sequence == 0, config.channelID == channel.channelID else {
            return .invalid(txID, .invalidConfigTransaction, "the genesis configuration must be sequence 0 of channel \(channel.channelID)")
        }
        guard change.nonce.count >= TransactionID.minimumNonceLength,
            TransactionID.compute(nonce: change.nonce, creator: change.creator) == txID
        else {
            return .invalid(txID, .badProposalTxid, "config tx_id \(txID) is not SHA-256(nonce || creator)")
        }
        let creator: Identity
        do { creator = try channel.identity(der: change.creator, at: (change.timestamp ?? .init()).date) } catch {
            return .invalid(txID, .badCreator, "creator of the channel configuration: \(error)")
        }
        guard creator.role == .admin || creator.role == .orderer else {
            return .invalid(txID, .invalidConfigTransaction, "\(creator) is neither an administrator nor an orderer")
        }
        guard SignatureVerifier.isValid(signature: envelope.signature, payload: envelope.payload, key: creator.publicKey) else {
            return .invalid(txID, .badCreatorSignature, "the configuration signature does not verify against \(creator)")
        }
        return CheckedTransaction(txID: txID, code: .valid, config: config)
    }
}

/// Why a transaction's endorsements do not satisfy its policy.
struct PolicyFailure: Error {
    let description: String
}
