public import Foundation
public import Identity
public import Schema
internal import Wire

/// A change of a channel's configuration after its genesis block: a `ConfigTransaction` holding
/// the complete new configuration (the current sequence + 1) and the approvals of the
/// administrators that the current configuration's admin policy requires. It is ordered in a block
/// of its own and applies from the next block on, on every node alike: each node decides it with
/// `check` against the configuration it replaces, so all of them agree.
public enum ConfigUpdate {
    /// The domain that separates approvals from every other signature a member makes.
    static let approvalDomain = Data("medledger.v1.ChannelConfig".utf8)

    /// The bytes an administrator signs to approve `config`: the domain, then the configuration's
    /// deterministic encoding (which names the channel and the sequence).
    public static func approvalBytes(_ config: Medledger_V1_ChannelConfig) -> Data {
        approvalDomain + config.serializedData()
    }

    /// `signer`'s approval of `config`.
    public static func approve(_ config: Medledger_V1_ChannelConfig, by signer: RequestSigner) throws -> Medledger_V1_ConfigSignature {
        var approval = Medledger_V1_ConfigSignature()
        approval.signer = signer.certificateDER
        approval.signature = try signer.sign(approvalBytes(config))
        return approval
    }

    /// The signed envelope that submits `config` with `approvals`, created by the administrator
    /// `creator` (whose envelope signature counts as an approval too). The genesis block's
    /// configuration is one too, created by the orderer, without approvals.
    public static func envelope(
        config: Medledger_V1_ChannelConfig, approvals: [Medledger_V1_ConfigSignature], creator: RequestSigner, now: Date = Date()
    ) throws -> Medledger_V1_Envelope {
        var change = Medledger_V1_ConfigTransaction()
        change.nonce = Nonce.make()
        change.creator = creator.certificateDER
        change.txID = TransactionID.compute(nonce: change.nonce, creator: change.creator)
        change.config = config
        change.timestamp = Medledger_V1_Timestamp(date: now)
        change.signatures = approvals
        var transaction = Medledger_V1_Transaction()
        transaction.body = .configTransaction(change)
        return try creator.envelope(transaction)
    }

    /// Why an update is refused; each names the field, certificate or policy that failed.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        /// The update is malformed, or the configuration it installs is invalid.
        case invalid(String)
        /// The update is not the next version of the channel's configuration.
        case stale(String)
        /// The creator is not an administrator, or the approvals do not satisfy the admin policy.
        case notApproved(String)
        /// The creator's envelope signature does not verify.
        case badSignature(String)

        public var description: String {
            switch self {
            case .invalid(let reason), .stale(let reason), .notApproved(let reason), .badSignature(let reason): reason
            }
        }

        /// The validation code a block records for a transaction refused this way.
        public var validationCode: Medledger_V1_TxValidationCode {
            switch self {
            case .badSignature: .badCreatorSignature
            case .invalid, .stale, .notApproved: .invalidConfigTransaction
            }
        }
    }

    /// The configuration `change` installs when block `blockNumber` holds it, if it is a valid
    /// update of `current`: it is for this channel, its sequence is the next one, its tx ID is
    /// derived from nonce and creator, its creator is an administrator of a member organisation
    /// who signed the envelope, the approvals (the creator's included) satisfy `current`'s admin
    /// policy, and the new configuration itself is valid.
    public static func check(
        _ change: Medledger_V1_ConfigTransaction, envelope: Medledger_V1_Envelope, current: ChannelContext, blockNumber: UInt64
    ) throws(Refusal) -> ChannelContext {
        let channelID = current.channelID
        guard let config = change.config else { throw .invalid("the configuration update carries no config") }
        guard config.channelID == channelID else {
            throw .invalid("config.channel_id is \(QuotedInput.quote(config.channelID)), but the update was sent to channel \(QuotedInput.quote(channelID))")
        }
        let next = current.config.sequence + 1
        guard config.sequence == next else {
            throw .stale("config.sequence is \(config.sequence), but channel \(channelID) is at sequence \(current.config.sequence): the next change must be \(next) (fetch the current configuration and edit that)")
        }
        guard change.nonce.count >= TransactionID.minimumNonceLength,
            TransactionID.compute(nonce: change.nonce, creator: change.creator) == change.txID
        else {
            throw .invalid("tx_id \(QuotedInput.quote(change.txID)) is not SHA-256(nonce || creator) of a nonce of at least \(TransactionID.minimumNonceLength) bytes")
        }
        let time = (change.timestamp ?? .init()).date
        let creator: Identity
        do { creator = try current.identity(der: change.creator, at: time) } catch {
            throw .notApproved("the creator of the configuration update is not a member of channel \(channelID): \(error)")
        }
        guard creator.role == .admin else {
            throw .notApproved("\(creator) may not change channel \(channelID)'s configuration: only administrators may")
        }
        guard SignatureVerifier.isValid(signature: envelope.signature, payload: envelope.payload, key: creator.publicKey) else {
            throw .badSignature("the envelope signature of the configuration update does not verify against \(creator)")
        }
        try checkApprovals(change.signatures, of: config, creator: creator, current: current, at: time)
        do {
            return try ChannelContext(config: config, configBlockNumber: blockNumber)
        } catch {
            throw .invalid("\(error)")
        }
    }

    /// Throws unless the genesis configuration transaction `change` carries approvals that
    /// satisfy the admin policy of the configuration it creates (`genesis`), by admins of its
    /// members: what a node joining from the block checks, so that no orderer alone can make up a
    /// channel that names the node's organisation.
    public static func checkGenesisApprovals(_ change: Medledger_V1_ConfigTransaction, genesis: ChannelContext) throws(Refusal) {
        try checkApprovals(change.signatures, of: genesis.config, creator: nil, current: genesis, at: (change.timestamp ?? .init()).date)
    }

    /// Throws unless the valid approvals of `config`, with `creator`'s (when there is one),
    /// satisfy the admin policy of `current`.
    private static func checkApprovals(
        _ approvals: [Medledger_V1_ConfigSignature], of config: Medledger_V1_ChannelConfig, creator: Identity?,
        current: ChannelContext, at time: Date
    ) throws(Refusal) {
        let signed = approvalBytes(config)
        var approvers = creator.map { [$0] } ?? []
        var rejected: [String] = []
        for (index, approval) in approvals.enumerated() {
            guard let signer = try? current.identity(der: approval.signer, at: time) else {
                rejected.append("signatures[\(index)] is not by a member certificate of the channel")
                continue
            }
            guard SignatureVerifier.isValid(signature: approval.signature, payload: signed, key: signer.publicKey) else {
                rejected.append("signatures[\(index)] by \(signer) does not verify over this configuration")
                continue
            }
            if !approvers.contains(signer) { approvers.append(signer) }
        }
        let policy = current.config.adminPolicy ?? .init()
        guard EndorsementPolicyEvaluator().isSatisfied(policy, by: approvers) else {
            let extra = rejected.isEmpty ? "" : "; \(rejected.joined(separator: "; "))"
            throw .notApproved(
                "channel \(current.channelID)'s admin policy \(policy.summary) is not satisfied: approved by [\(approvers.map(\.description).joined(separator: ", "))]\(extra)")
        }
    }

    /// The configuration block `blockNumber` installs, if it is a configuration block: its one
    /// transaction is a valid update of `current`. Any other block leaves `current` in force.
    public static func installed(by envelopes: [Data], blockNumber: UInt64, current: ChannelContext) -> ChannelContext? {
        guard blockNumber > 0, envelopes.count == 1,
            let envelope = try? Medledger_V1_Envelope(serializedData: envelopes[0]),
            let transaction = try? Medledger_V1_Transaction(serializedData: envelope.payload),
            case .configTransaction(let change)? = transaction.body
        else { return nil }
        return try? check(change, envelope: envelope, current: current, blockNumber: blockNumber)
    }
}
