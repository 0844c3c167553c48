internal import Foundation
internal import LedgerCore
internal import Synchronization

/// Where callers wait for commits: for one transaction's validation result (CommitStatus) or for
/// the chain to grow past a height (Deliver, ChaincodeEvents). The committer publishes each block
/// once it is durable and applied; waiters registered before or after never miss it.
final class CommitBoard: Sendable {
    private struct State {
        var height: UInt64 = 0
        var transactionWaiters: [String: [CommitTicket]] = [:]
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
            var ready: [(CommitTicket, TransactionLocation)] = []
            if !state.transactionWaiters.isEmpty {
                for transaction in transactions {
                    for ticket in state.transactionWaiters.removeValue(forKey: transaction.txID) ?? [] {
                        ready.append((ticket, transaction.location))
                    }
                }
            }
            let grown = state.heightWaiters.filter { $0.above < state.height }
            state.heightWaiters.removeAll { $0.above < state.height }
            return (ready, grown.map(\.continuation))
        }
        for (ticket, location) in resumeTx { ticket.resolve(location) }
        for waiter in resumeHeight { waiter.resume(returning: true) }
    }

    /// Starts watching for `txID` before it is submitted, so that no index lookup is needed: the
    /// block that holds it is published after this call. Pass the ticket to `wait` or `cancel`.
    func expect(_ txID: String) -> CommitTicket {
        let ticket = CommitTicket(txID: txID)
        let closed = state.withLock { state in
            if state.closed { return true }
            state.transactionWaiters[txID, default: []].append(ticket)
            return false
        }
        if closed { ticket.resolve(nil) }
        return ticket
    }

    /// Where the ticket's transaction committed; nil if the board closed first. Throws
    /// CancellationError if the caller goes away.
    func wait(_ ticket: CommitTicket) async throws -> TransactionLocation? {
        let result = await withTaskCancellationHandler {
            await ticket.result()
        } onCancel: {
            cancel(ticket)
        }
        try Task.checkCancellation()
        return result
    }

    /// Stops watching: the transaction was not submitted after all, or its waiter went away.
    func cancel(_ ticket: CommitTicket) {
        removeTicket(ticket)
        ticket.resolve(nil)
    }

    /// Waits until `txID` commits; `lookup` consults the transaction index (it may already be there).
    /// Returns nil if the board closes first; throws CancellationError if the caller goes away.
    func location(of txID: String, lookup: () throws -> TransactionLocation?) async throws -> TransactionLocation? {
        // Looked up after registering, so a block published in between is seen either by this
        // lookup or by `published` resolving the ticket.
        let ticket = expect(txID)
        let found: TransactionLocation?
        do { found = try lookup() } catch {
            cancel(ticket)
            throw error
        }
        if let found {
            removeTicket(ticket)
            return found
        }
        return try await wait(ticket)
    }

    private func removeTicket(_ ticket: CommitTicket) {
        state.withLock { state in
            guard var list = state.transactionWaiters[ticket.txID], let index = list.firstIndex(where: { $0 === ticket }) else {
                return
            }
            list.remove(at: index)
            state.transactionWaiters[ticket.txID] = list.isEmpty ? nil : list
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
        for ticket in tx { ticket.resolve(nil) }
        for waiter in heights { waiter.resume(returning: false) }
    }
}
