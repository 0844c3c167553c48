public import Foundation
public import Schema

/// The orderer's batching rule as a pure state machine: transactions in, blocks out. A block closes
/// at `maxMessageCount` transactions, once it holds `preferredMaxBytes`, or `batchTimeout` after its
/// first transaction arrived, whichever comes first; a transaction above `absoluteMaxBytes` is refused.
///
/// It owns no clock or timer: the caller reports the time and performs the returned actions.
public struct BlockCutter: Sendable {
    /// What the caller must do after an event.
    public enum Action: Sendable, Equatable {
        /// Order these transactions as one block.
        case cut([Data])
        /// Call `timerFired(generation:)` with `generation` at `deadline` (replacing any earlier timer).
        case startTimer(deadline: ContinuousClock.Instant, generation: UInt64)
        /// Refuse the transaction; nothing was batched.
        case reject(reason: String)
    }

    public struct Limits: Sendable, Equatable {
        public var maxMessageCount: Int
        public var preferredMaxBytes: Int
        public var absoluteMaxBytes: Int
        public var batchTimeout: Duration

        /// Fabric's defaults, except a 20 ms timeout for low commit latency.
        public static let defaults = Limits(
            maxMessageCount: 500, preferredMaxBytes: 2 << 20, absoluteMaxBytes: 10 << 20, batchTimeout: .milliseconds(20)
        )

        public init(maxMessageCount: Int, preferredMaxBytes: Int, absoluteMaxBytes: Int, batchTimeout: Duration) {
            self.maxMessageCount = maxMessageCount
            self.preferredMaxBytes = preferredMaxBytes
            self.absoluteMaxBytes = absoluteMaxBytes
            self.batchTimeout = batchTimeout
        }

        /// The limits a channel's configuration sets; zero fields take the defaults.
        public init(_ batch: Medledger_V1_BatchParameters) {
            let defaults = Limits.defaults
            maxMessageCount = batch.maxMessageCount == 0 ? defaults.maxMessageCount : Int(batch.maxMessageCount)
            preferredMaxBytes = batch.preferredMaxBytes == 0 ? defaults.preferredMaxBytes : Int(clamping: batch.preferredMaxBytes)
            absoluteMaxBytes = batch.absoluteMaxBytes == 0 ? defaults.absoluteMaxBytes : Int(clamping: batch.absoluteMaxBytes)
            batchTimeout = batch.batchTimeoutMillis == 0 ? defaults.batchTimeout : .milliseconds(Int64(clamping: batch.batchTimeoutMillis))
        }
    }

    public private(set) var limits: Limits
    private var pending: [Data] = []
    private var pendingBytes = 0
    /// Identifies the timer of the current batch, so a timer of an already-cut batch is ignored.
    private var generation: UInt64 = 0

    public init(limits: Limits = .defaults) {
        self.limits = limits
    }

    /// Transactions waiting for the next block.
    public var pendingCount: Int { pending.count }

    /// A transaction arrived at `now`.
    public mutating func submit(_ transaction: Data, now: ContinuousClock.Instant) -> [Action] {
        guard transaction.count <= limits.absoluteMaxBytes else {
            return [.reject(reason: "transaction of \(transaction.count) bytes exceeds the channel's absolute maximum of \(limits.absoluteMaxBytes) bytes")]
        }
        var actions: [Action] = []
        // A transaction that would push the batch past the preferred size goes into the next block.
        if !pending.isEmpty, pendingBytes + transaction.count > limits.preferredMaxBytes {
            actions.append(cut())
        }
        pending.append(transaction)
        pendingBytes += transaction.count
        if pending.count >= limits.maxMessageCount || pendingBytes >= limits.preferredMaxBytes {
            actions.append(cut())
        } else if pending.count == 1 {
            actions.append(.startTimer(deadline: now.advanced(by: limits.batchTimeout), generation: generation))
        }
        return actions
    }

    /// A transaction that must be a block of its own (a configuration change): what is pending
    /// is cut first, then this transaction alone.
    public mutating func isolate(_ transaction: Data) -> [Action] {
        guard transaction.count <= limits.absoluteMaxBytes else {
            return [.reject(reason: "transaction of \(transaction.count) bytes exceeds the channel's absolute maximum of \(limits.absoluteMaxBytes) bytes")]
        }
        var actions: [Action] = pending.isEmpty ? [] : [cut()]
        pending = [transaction]
        pendingBytes = transaction.count
        actions.append(cut())
        return actions
    }

    /// Cuts from now on by `limits` (a configuration block changed them); what is pending is cut
    /// under the old limits first.
    public mutating func adopt(_ limits: Limits) -> [Action] {
        guard limits != self.limits else { return [] }
        let actions: [Action] = pending.isEmpty ? [] : [cut()]
        self.limits = limits
        return actions
    }

    /// The timer started for `generation` fired.
    public mutating func timerFired(generation fired: UInt64) -> [Action] {
        guard fired == generation, !pending.isEmpty else { return [] }
        return [cut()]
    }

    private mutating func cut() -> Action {
        let batch = pending
        pending = []
        pendingBytes = 0
        generation &+= 1
        return .cut(batch)
    }
}
