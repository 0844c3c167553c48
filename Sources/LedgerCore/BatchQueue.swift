public import Foundation

/// A `BlockCutter` driven by the clock: items go in, cut batches come out of `batches`, in order,
/// for exactly one consumer; the batch timer runs on its own. The embedded orderer queues
/// transactions in it, the leading orderer of a network queues submissions that wait for their
/// block.
public actor BatchQueue<Item: Sendable> {
    /// Why an item was not queued.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        /// Larger than the channel's absolute maximum.
        case tooLarge(String)
        /// The queue is finished or closed.
        case closed

        public var description: String {
            switch self {
            case .tooLarge(let reason): reason
            case .closed: "the orderer is shutting down"
            }
        }
    }

    private var cutter: BlockCutter
    private var pending: [Item] = []
    private var finished = false
    private let continuation: AsyncStream<[Item]>.Continuation
    /// Cut batches, in order.
    public nonisolated let batches: AsyncStream<[Item]>

    public init(limits: BlockCutter.Limits) {
        cutter = BlockCutter(limits: limits)
        (batches, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// Queues `item`, whose encoding is `bytes`; nothing is queued if it is refused. An item
    /// `alone` (a configuration change) goes out as a batch of its own, after what is pending.
    public func add(_ item: Item, bytes: Data, alone: Bool = false) throws(Refusal) {
        guard !finished else { throw .closed }
        let actions = alone ? cutter.isolate(bytes) : cutter.submit(bytes, now: .now)
        if case .reject(let reason)? = actions.first { throw .tooLarge(reason) }
        pending.append(item)
        perform(actions)
    }

    /// Cuts by `limits` from now on (the channel's configuration changed them).
    public func adopt(_ limits: BlockCutter.Limits) {
        perform(cutter.adopt(limits))
    }

    /// Ends the batches: what is pending goes out as a last batch; later items are refused.
    public func finish() {
        guard !finished else { return }
        finished = true
        if !pending.isEmpty {
            continuation.yield(pending)
            pending = []
        }
        continuation.finish()
    }

    /// Ends the batches without the pending items, which it returns; later items are refused.
    public func close() -> [Item] {
        guard !finished else { return [] }
        finished = true
        defer { pending = [] }
        continuation.finish()
        return pending
    }

    private func perform(_ actions: [BlockCutter.Action]) {
        for action in actions {
            switch action {
            case .cut(let cut):
                // The cutter returns the same items, in order, that were appended to `pending`.
                let batch = Array(pending.prefix(cut.count))
                pending.removeFirst(cut.count)
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
        guard !finished else { return }
        perform(cutter.timerFired(generation: generation))
    }
}
