internal import Schema
internal import Synchronization

/// Who wants to know of each committed block (after it is durable and applied), for every channel
/// of a node. Observers must return quickly: they run on the committer's thread.
final class CommitObservers: Sendable {
    typealias Observer = @Sendable (
        _ channel: String, _ block: Medledger_V1_Block, _ transactionIDs: [String], _ events: [Medledger_V1_ChaincodeEvent]
    ) -> Void

    private let observers = Mutex<[Observer]>([])

    func add(_ observer: @escaping Observer) {
        observers.withLock { $0.append(observer) }
    }

    /// `transactionIDs` are the block's transactions' IDs (valid or not), as validation decoded
    /// them; `events` the chaincode events of its valid transactions, in order.
    func committed(_ block: Medledger_V1_Block, transactionIDs: [String], events: [Medledger_V1_ChaincodeEvent], channel: String) {
        for observer in observers.withLock({ $0 }) { observer(channel, block, transactionIDs, events) }
    }
}
