public import Foundation
public import Identity
public import Schema
internal import Wire

/// The checks an orderer makes before it accepts a transaction for ordering: size within the
/// channel's limit, an Envelope holding a Transaction for this channel, the declared tx ID (if
/// any) is the transaction's, and the creator is a member whose signature verifies. A
/// configuration change must also be a valid update of the configuration in force
/// (`ConfigUpdate`), so one without the approvals the admin policy needs is refused before it is
/// ordered. The embedded orderer and the etcd-backed orderers both admit this way.
public enum EnvelopeAdmission {
    /// Why an envelope is refused.
    public enum Refusal: Error, CustomStringConvertible {
        case tooLarge(String)
        case invalid(String)
        case badSignature(String)
        /// A configuration change that is not a valid update of the configuration in force.
        case configUpdate(ConfigUpdate.Refusal)

        public var description: String {
            switch self {
            case .tooLarge(let reason), .invalid(let reason), .badSignature(let reason): reason
            case .configUpdate(let refusal): refusal.description
            }
        }
    }

    /// An admitted transaction.
    public struct Admitted: Sendable, Equatable {
        public let txID: String
        /// A configuration change: it is ordered in a block of its own.
        public let isConfigUpdate: Bool
    }

    /// What `envelopeBytes` is, if it passes every check for `context`'s channel.
    public static func check(_ envelopeBytes: Data, context: ChannelContext, declaredTxID: String = "") throws(Refusal) -> Admitted {
        let channelID = context.channelID
        guard envelopeBytes.count <= context.limits.absoluteMaxBytes else {
            throw .tooLarge("the transaction has \(envelopeBytes.count) bytes; channel \(channelID) accepts at most \(context.limits.absoluteMaxBytes)")
        }
        let envelope: Medledger_V1_Envelope
        let transaction: Medledger_V1_Transaction
        do {
            envelope = try Medledger_V1_Envelope(serializedData: envelopeBytes)
            transaction = try Medledger_V1_Transaction(serializedData: envelope.payload)
        } catch {
            throw .invalid("prepared_transaction does not decode as an Envelope holding a Transaction: \(error)")
        }
        if case .configTransaction(let change)? = transaction.body {
            guard declaredTxID.isEmpty || declaredTxID == change.txID else {
                throw .invalid("transaction_id \(QuotedInput.quote(declaredTxID)) is not the configuration update's tx ID \(QuotedInput.quote(change.txID))")
            }
            // The block number only labels the configuration the check would install; it is not kept.
            do { _ = try ConfigUpdate.check(change, envelope: envelope, current: context, blockNumber: context.configBlockNumber + 1) } catch {
                throw .configUpdate(error)
            }
            return Admitted(txID: change.txID, isConfigUpdate: true)
        }
        guard case .endorserTransaction(let endorsed)? = transaction.body, let proposal = endorsed.proposal else {
            throw .invalid("prepared_transaction must hold an endorser transaction with its proposal, or a configuration update")
        }
        guard proposal.channelID == channelID else {
            throw .invalid("the transaction is for channel \(QuotedInput.quote(proposal.channelID)), not \(QuotedInput.quote(channelID))")
        }
        guard declaredTxID.isEmpty || declaredTxID == proposal.txID else {
            throw .invalid("transaction_id \(QuotedInput.quote(declaredTxID)) is not the prepared transaction's tx ID \(QuotedInput.quote(proposal.txID))")
        }
        let creator: Identity
        do { creator = try context.identity(der: proposal.creator, at: (proposal.timestamp ?? .init()).date) } catch {
            throw .badSignature("the transaction's creator is not a member of channel \(QuotedInput.quote(channelID)): \(error)")
        }
        guard SignatureVerifier.isValid(signature: envelope.signature, payload: envelope.payload, key: creator.publicKey) else {
            throw .badSignature("prepared_transaction.signature does not verify against the certificate of \(creator)")
        }
        return Admitted(txID: proposal.txID, isConfigUpdate: false)
    }
}
