internal import Schema
internal import Synchronization

/// Who wants to know of each committed block (after it is durable and applied), for every channel
/// of a node. Observers must return quickly: they run on the committer's thread.
final class CommitObservers: Sendable {
    typealias Observer = @Sendable (_ channel: String, _ block: Medledger_V1_Block, _ events: [Medledger_V1_ChaincodeEvent]) -> Void

    private let observers = Mutex<[Observer]>([])

    func add(_ observer: @escaping Observer) {
        observers.withLock { $0.append(observer) }
    }

    /// `events` are the chaincode events of the block's valid transactions, in order.
    func committed(_ block: Medledger_V1_Block, events: [Medledger_V1_ChaincodeEvent], channel: String) {
        for observer in observers.withLock({ $0 }) { observer(channel, block, events) }
    }
}
