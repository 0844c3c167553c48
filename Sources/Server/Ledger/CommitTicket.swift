internal import LedgerCore
internal import Synchronization

/// One watch for a transaction's commit on a `CommitBoard`. It is resolved once — with where the
/// transaction committed, or nil when the board closes or the watch is cancelled — and the
/// outcome is kept, so a waiter that arrives after the commit still gets it.
final class CommitTicket: Sendable {
    private enum Stage {
        case pending
        case waiting(CheckedContinuation<TransactionLocation?, Never>)
        case resolved(TransactionLocation?)
    }

    let txID: String
    private let stage = Mutex(Stage.pending)

    init(txID: String) {
        self.txID = txID
    }

    /// Records the outcome and wakes the waiter; later calls change nothing.
    func resolve(_ location: TransactionLocation?) {
        let waiter = stage.withLock { stage -> CheckedContinuation<TransactionLocation?, Never>? in
            switch stage {
            case .resolved:
                return nil
            case .pending:
                stage = .resolved(location)
                return nil
            case .waiting(let continuation):
                stage = .resolved(location)
                return continuation
            }
        }
        waiter?.resume(returning: location)
    }

    /// The outcome, waiting for it if needed. Only one caller may wait on a ticket.
    func result() async -> TransactionLocation? {
        await withCheckedContinuation { continuation in
            let ready = stage.withLock { stage -> TransactionLocation?? in
                switch stage {
                case .resolved(let location):
                    return .some(location)
                case .pending, .waiting:
                    stage = .waiting(continuation)
                    return nil
                }
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
