internal import Foundation
internal import LedgerCore

/// The leading orderer's queue for one channel: submissions go through a `BlockCutter`, each cut
/// batch comes out of `batches` in order, and each submitter waits until its batch's block is
/// final in etcd (then learns the block number) or the leadership ends (then learns why).
actor SubmissionQueue {
    struct Submission {
        let envelope: Data
        let continuation: CheckedContinuation<UInt64, any Error>
    }

    private var cutter: BlockCutter
    private var pending: [Submission] = []
    private var closed: OrderingError?
    private let continuation: AsyncStream<[Submission]>.Continuation
    nonisolated let batches: AsyncStream<[Submission]>

    init(limits: BlockCutter.Limits) {
        cutter = BlockCutter(limits: limits)
        (batches, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// Queues `envelope`; returns the number of the block that holds it once that block is final.
    func submit(_ envelope: Data) async throws -> UInt64 {
        if let closed { throw closed }
        let actions = cutter.submit(envelope, now: .now)
        if case .reject(let reason)? = actions.first { throw OrderingError.tooLarge(reason) }
        return try await withCheckedThrowingContinuation { continuation in
            pending.append(Submission(envelope: envelope, continuation: continuation))
            perform(actions)
        }
    }

    /// Ends the queue: every submission not yet in a cut batch fails with `reason`; batches
    /// already cut are still delivered to the consumer, which answers them.
    func close(_ reason: OrderingError) {
        guard closed == nil else { return }
        closed = reason
        for submission in pending { submission.continuation.resume(throwing: reason) }
        pending = []
        continuation.finish()
    }

    private func perform(_ actions: [BlockCutter.Action]) {
        for action in actions {
            switch action {
            case .cut(let envelopes):
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
        guard closed == nil else { return }
        perform(cutter.timerFired(generation: generation))
    }
}
