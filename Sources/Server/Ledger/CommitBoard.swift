internal import Foundation
internal import LedgerCore
internal import Synchronization

/// Where callers wait for commits: for one transaction's validation result (CommitStatus) or for
/// the chain to grow past a height (Deliver, ChaincodeEvents). The committer publishes each block
/// once it is durable and applied; waiters registered before or after never miss it.
final class CommitBoard: Sendable {
    private struct State {
        var height: UInt64 = 0
        var transactionWaiters: [String: [(id: UInt64, continuation: CheckedContinuation<TransactionLocation?, Never>)]] = [:]
        var heightWaiters: [(id: UInt64, above: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
        var nextWaiterID: UInt64 = 0
        var closed = false
    }

    private let state = Mutex(State())

    init(height: UInt64) {
        state.withLock { $0.height = height }
    }

    var height: UInt64 { state.withLock { $0.height } }

    /// Called by the committer after block `number` is stored and applied.
    func published(blockNumber number: UInt64, transactions: [StateUpdate.IndexedTransaction]) {
        let (resumeTx, resumeHeight) = state.withLock { state in
            state.height = number + 1
            var ready: [(CheckedContinuation<TransactionLocation?, Never>, TransactionLocation)] = []
            for transaction in transactions {
                for waiter in state.transactionWaiters.removeValue(forKey: transaction.txID) ?? [] {
                    ready.append((waiter.continuation, transaction.location))
                }
            }
            let grown = state.heightWaiters.filter { $0.above < state.height }
            state.heightWaiters.removeAll { $0.above < state.height }
            return (ready, grown.map(\.continuation))
        }
        for (waiter, location) in resumeTx { waiter.resume(returning: location) }
        for waiter in resumeHeight { waiter.resume(returning: true) }
    }

    /// Waits until `txID` commits; `lookup` consults the transaction index (it may already be there).
    /// Returns nil if the board closes first; throws CancellationError if the caller goes away.
    func location(of txID: String, lookup: () throws -> TransactionLocation?) async throws -> TransactionLocation? {
        let id = nextID()
        var lookupError: (any Error)?
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let closed = state.withLock { state in
                    if state.closed || Task.isCancelled { return true }
                    state.transactionWaiters[txID, default: []].append((id, continuation))
                    return false
                }
                if closed { return continuation.resume(returning: nil) }
                // Looked up after registering, so a block published in between is seen either by
                // this lookup or by `published` resuming the waiter — whichever removes it first.
                let found: TransactionLocation?
                do { found = try lookup() } catch {
                    lookupError = error
                    found = nil
                }
                if found != nil || lookupError != nil, let waiter = removeTransactionWaiter(txID, id) {
                    waiter.resume(returning: found)
                }
            }
        } onCancel: {
            removeTransactionWaiter(txID, id)?.resume(returning: nil)
        }
        if let lookupError { throw lookupError }
        try Task.checkCancellation()
        return result
    }

    private func removeTransactionWaiter(_ txID: String, _ id: UInt64) -> CheckedContinuation<TransactionLocation?, Never>? {
        state.withLock { state in
            guard var list = state.transactionWaiters[txID], let index = list.firstIndex(where: { $0.id == id }) else {
                return nil
            }
            let removed = list.remove(at: index)
            state.transactionWaiters[txID] = list.isEmpty ? nil : list
            return removed.continuation
        }
    }

    private func nextID() -> UInt64 {
        state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
    }

    /// Waits until the chain holds more than `height` blocks. False if the board closed or the
    /// caller was cancelled.
    func waitForHeight(above height: UInt64) async -> Bool {
        let id = nextID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now: Bool? = state.withLock { state in
                    if state.closed || Task.isCancelled { return false }
                    if state.height > height { return true }
                    state.heightWaiters.append((id, height, continuation))
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                guard let index = state.heightWaiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.heightWaiters.remove(at: index).continuation
            }
            waiter?.resume(returning: false)
        }
    }

    /// Wakes every waiter: the node is shutting down.
    func close() {
        let (tx, heights) = state.withLock { state in
            state.closed = true
            defer {
                state.transactionWaiters = [:]
                state.heightWaiters = []
            }
            return (state.transactionWaiters.values.flatMap { $0 }, state.heightWaiters.map(\.continuation))
        }
        for waiter in tx { waiter.continuation.resume(returning: nil) }
        for waiter in heights { waiter.resume(returning: false) }
    }
}
