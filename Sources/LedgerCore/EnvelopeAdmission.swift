public import Foundation
public import Identity
public import Schema
internal import Wire

/// The checks an orderer makes before it accepts a transaction for ordering: size within the
/// channel's limit, an Envelope holding an endorser Transaction for this channel, the declared tx
/// ID (if any) is the transaction's, and the creator is a member whose signature verifies. The
/// embedded orderer and the etcd-backed orderers both admit this way.
public enum EnvelopeAdmission {
    /// Why an envelope is refused.
    public enum Refusal: Error, CustomStringConvertible {
        case tooLarge(String)
        case invalid(String)
        case badSignature(String)

        public var description: String {
            switch self {
            case .tooLarge(let reason), .invalid(let reason), .badSignature(let reason): reason
            }
        }
    }

    /// The transaction's ID if `envelopeBytes` passes every check for `context`'s channel.
    public static func check(_ envelopeBytes: Data, context: ChannelContext, declaredTxID: String = "") throws(Refusal) -> String {
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
        guard case .endorserTransaction(let endorsed)? = transaction.body, let proposal = endorsed.proposal else {
            throw .invalid("prepared_transaction must hold an endorser transaction with its proposal")
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
        return proposal.txID
    }
}
