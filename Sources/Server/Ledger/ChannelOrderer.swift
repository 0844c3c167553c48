internal import Foundation
internal import Identity
internal import LedgerCore
internal import Schema
internal import Synchronization

/// One transaction accepted for ordering. `signatureVerified` records that the gateway already
/// checked the creator's envelope signature, so the committer need not check it twice.
struct OrderedTransaction: Sendable {
    var envelope: Data
    var signatureVerified: Bool
}

/// A transaction the orderer admitted: checked, not yet queued.
struct AdmittedTransaction: Sendable {
    let txID: String
    let envelope: Data
    /// A configuration change, ordered in a block of its own.
    let isConfigUpdate: Bool
}

/// The orderer's side of one channel: admits submitted envelopes after the checks an orderer
/// makes (size, decoding, channel, the creator's membership and signature; a configuration
/// change's approvals) and queues them for the block cutter, whose batches the committer consumes.
/// Nothing is queued if a check fails.
final class ChannelOrderer: Sendable {
    private let current: CurrentChannelContext
    private let queue: BatchQueue<OrderedTransaction>
    private let halt: CommitHalt

    init(current: CurrentChannelContext, halt: CommitHalt) {
        self.current = current
        self.queue = BatchQueue(limits: current.context.limits)
        self.halt = halt
    }

    /// Cut batches, in order, for the one committer.
    var batches: AsyncStream<[OrderedTransaction]> { queue.batches }

    /// Checks `envelopeBytes` as the orderer does; its tx ID must be `declaredTxID` when one is
    /// declared.
    func admit(_ envelopeBytes: Data, declaredTxID: String = "") throws(GatewayError) -> AdmittedTransaction {
        let context = current.context
        if let failed = halt.reason { throw .unavailable("channel \(context.channelID) stopped committing: \(failed)") }
        if halt.isWaitingForSpace {
            throw .diskFull(
                "the node's disk is full: channel \(context.channelID) cannot store blocks, so no transaction is accepted until space is freed on the node")
        }
        do {
            let admitted = try EnvelopeAdmission.check(envelopeBytes, context: context, declaredTxID: declaredTxID)
            return AdmittedTransaction(txID: admitted.txID, envelope: envelopeBytes, isConfigUpdate: admitted.isConfigUpdate)
        } catch {
            throw GatewayError(error)
        }
    }

    /// Queues an admitted transaction for the block cutter.
    func enqueue(_ admitted: AdmittedTransaction) async throws(GatewayError) {
        do {
            try await queue.add(
                OrderedTransaction(envelope: admitted.envelope, signatureVerified: true), bytes: admitted.envelope,
                alone: admitted.isConfigUpdate)
        } catch .tooLarge(let reason) {
            throw .tooLarge(reason)
        } catch {
            throw .unavailable("\(error)")
        }
    }

    /// Cuts blocks by the limits of the configuration now in force (after a configuration block).
    func adoptCurrentLimits() async {
        await queue.adopt(current.context.limits)
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
    private let waitingForSpace = Mutex(false)

    var reason: String? { failure.withLock { $0 } }

    func stop(because reason: String) {
        failure.withLock { $0 = reason }
    }

    /// True while the committer retries a block its full disk refused: the orderer takes no new
    /// transaction meanwhile (RESOURCE_EXHAUSTED), and commits resume by themselves once space is freed.
    var isWaitingForSpace: Bool { waitingForSpace.withLock { $0 } }

    func waitForSpace(_ waiting: Bool) {
        waitingForSpace.withLock { $0 = waiting }
    }
}

extension GatewayError {
    /// The gateway status of an orderer's refusal.
    init(_ refusal: EnvelopeAdmission.Refusal) {
        switch refusal {
        case .tooLarge(let reason): self = .tooLarge(reason)
        case .invalid(let reason): self = .invalidArgument(reason)
        case .badSignature(let reason): self = .badSignature(reason)
        case .configUpdate(let refusal): self.init(refusal)
        }
    }

    /// The gateway status of a refused configuration change.
    init(_ refusal: ConfigUpdate.Refusal) {
        switch refusal {
        case .invalid(let reason): self = .invalidArgument(reason)
        case .stale(let reason): self = .failedPrecondition(reason)
        case .notApproved(let reason): self = .permissionDenied(reason)
        case .badSignature(let reason): self = .badSignature(reason)
        }
    }
}
