internal import Foundation
internal import Identity
internal import LedgerCore
internal import Schema
internal import Synchronization
internal import Wire

/// A transaction the orderer admitted: checked, not yet queued.
struct AdmittedTransaction: Sendable {
    let txID: String
    let envelope: Data
}

/// The orderer's side of one channel: admits submitted envelopes after the checks an orderer
/// makes (size, decoding, channel, the creator's membership and signature) and queues them for
/// the block cutter, whose batches the committer consumes. Nothing is queued if a check fails.
final class ChannelOrderer: Sendable {
    private let context: ChannelContext
    private let queue: OrderingQueue
    private let halt: CommitHalt

    init(context: ChannelContext, halt: CommitHalt) {
        self.context = context
        self.queue = OrderingQueue(limits: context.limits)
        self.halt = halt
    }

    /// Cut batches, in order, for the one committer.
    var batches: AsyncStream<[OrderedTransaction]> { queue.batches }

    /// Checks `envelopeBytes` as the orderer does; its tx ID must be `declaredTxID` when one is
    /// declared.
    func admit(_ envelopeBytes: Data, declaredTxID: String = "") throws(GatewayError) -> AdmittedTransaction {
        let channelID = context.channelID
        if let failed = halt.reason { throw .unavailable("channel \(channelID) stopped committing: \(failed)") }
        guard envelopeBytes.count <= context.limits.absoluteMaxBytes else {
            throw .tooLarge("the transaction has \(envelopeBytes.count) bytes; channel \(channelID) accepts at most \(context.limits.absoluteMaxBytes)")
        }
        let envelope: Medledger_V1_Envelope
        let transaction: Medledger_V1_Transaction
        do {
            envelope = try Medledger_V1_Envelope(serializedData: envelopeBytes)
            transaction = try Medledger_V1_Transaction(serializedData: envelope.payload)
        } catch {
            throw .invalidArgument("prepared_transaction does not decode as an Envelope holding a Transaction: \(error)")
        }
        guard case .endorserTransaction(let endorsed)? = transaction.body, let proposal = endorsed.proposal else {
            throw .invalidArgument("prepared_transaction must hold an endorser transaction with its proposal")
        }
        guard proposal.channelID == channelID else {
            throw .invalidArgument("the transaction is for channel \(QuotedInput.quote(proposal.channelID)), not \(QuotedInput.quote(channelID))")
        }
        guard declaredTxID.isEmpty || declaredTxID == proposal.txID else {
            throw .invalidArgument("transaction_id \(QuotedInput.quote(declaredTxID)) is not the prepared transaction's tx ID \(QuotedInput.quote(proposal.txID))")
        }
        let creator: Identity
        do { creator = try context.identity(der: proposal.creator, at: (proposal.timestamp ?? .init()).date) } catch {
            throw .badSignature("the transaction's creator is not a member of channel \(QuotedInput.quote(channelID)): \(error)")
        }
        guard SignatureVerifier.isValid(signature: envelope.signature, payload: envelope.payload, key: creator.publicKey) else {
            throw .badSignature("prepared_transaction.signature does not verify against the certificate of \(creator)")
        }
        return AdmittedTransaction(txID: proposal.txID, envelope: envelopeBytes)
    }

    /// Queues an admitted transaction for the block cutter.
    func enqueue(_ admitted: AdmittedTransaction) async throws(GatewayError) {
        try await queue.submit(OrderedTransaction(envelope: admitted.envelope, signatureVerified: true))
    }

    /// Stops accepting transactions; the batches already cut still reach the committer.
    func finish() async {
        await queue.finish()
    }
}

/// Why a channel's committer stopped, once it has: the orderer then refuses new transactions
/// with UNAVAILABLE rather than let them pile up behind a chain that cannot grow.
final class CommitHalt: Sendable {
    private let failure = Mutex<String?>(nil)

    var reason: String? { failure.withLock { $0 } }

    func stop(because reason: String) {
        failure.withLock { $0 = reason }
    }
}
