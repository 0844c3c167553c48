internal import Foundation
internal import LedgerCore

/// One transaction accepted for ordering. `signatureVerified` records that the gateway already
/// checked the creator's envelope signature, so the committer need not check it twice.
struct OrderedTransaction: Sendable {
    var envelope: Data
    var signatureVerified: Bool
}

/// The single-node orderer of one channel: feeds submissions through a `BlockCutter`, runs its
/// batch timer, and hands each cut batch, in order, to the committer through `batches`.
actor OrderingQueue {
    private var cutter: BlockCutter
    private var pending: [OrderedTransaction] = []
    private var closed = false
    private let continuation: AsyncStream<[OrderedTransaction]>.Continuation
    /// Cut batches, in order; consumed by exactly one committer.
    nonisolated let batches: AsyncStream<[OrderedTransaction]>

    init(limits: BlockCutter.Limits) {
        cutter = BlockCutter(limits: limits)
        (batches, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// Accepts a transaction; throws if the channel's size limit refuses it (nothing is queued).
    func submit(_ transaction: OrderedTransaction) throws(GatewayError) {
        guard !closed else { throw .unavailable("the orderer is shutting down") }
        let actions = cutter.submit(transaction.envelope, now: .now)
        if case .reject(let reason)? = actions.first {
            throw .tooLarge(reason)
        }
        pending.append(transaction)
        perform(actions)
    }

    /// Ends the stream of batches once queued ones are consumed; later submissions are refused.
    func finish() {
        closed = true
        if !pending.isEmpty {
            continuation.yield(pending)
            pending = []
        }
        continuation.finish()
    }

    private func perform(_ actions: [BlockCutter.Action]) {
        for action in actions {
            switch action {
            case .cut(let envelopes):
                // The cutter returns the same transactions, in order, that were appended to `pending`.
                let batch = Array(pending.prefix(envelopes.count))
                pending.removeFirst(envelopes.count)
                continuation.yield(batch)
            case .startTimer(let deadline, let generation):
                Task { [weak self] in
                    try? await Task.sleep(until: deadline, clock: .continuous)
                    await self?.timerFired(generation)
                }
            case .reject:
                break
            }
        }
    }

    private func timerFired(_ generation: UInt64) {
        perform(cutter.timerFired(generation: generation))
    }
}
