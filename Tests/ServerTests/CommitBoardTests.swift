import LedgerCore
import Schema
@testable import Server
import Testing

/// The commit board's tickets: a watch registered before the transaction is ordered learns the
/// outcome without the transaction index, whenever the waiter arrives.
@Suite("Commit board") struct CommitBoardTests {
    private func indexed(_ txID: String, block: UInt64, code: Medledger_V1_TxValidationCode) -> StateUpdate.IndexedTransaction {
        .init(txID: txID, location: TransactionLocation(blockNumber: block, position: 3, code: code))
    }

    @Test func aTicketGetsItsTransactionsBlockWhetherTheWaiterComesBeforeOrAfter() async throws {
        let board = CommitBoard(height: 1)
        let early = board.expect("tx-early")
        let late = board.expect("tx-late")
        let other = board.expect("tx-other")
        async let waited = board.wait(early)
        try await Task.sleep(for: .milliseconds(20))
        board.published(blockNumber: 1, transactions: [indexed("tx-early", block: 1, code: .valid), indexed("tx-late", block: 1, code: .mvccReadConflict)])

        #expect(try await waited == TransactionLocation(blockNumber: 1, position: 3, code: .valid))
        #expect(try await board.wait(late)?.code == .mvccReadConflict)
        #expect(board.height == 2)
        // A transaction not in the block is still watched: cancelling answers nil, and a later
        // block that holds it no longer reaches the cancelled ticket.
        board.cancel(other)
        #expect(try await board.wait(other) == nil)
        board.published(blockNumber: 2, transactions: [indexed("tx-other", block: 2, code: .valid)])
        #expect(try await board.wait(other) == nil)
    }

    @Test func closingAnswersEveryWatchAndRefusesNewOnes() async throws {
        let board = CommitBoard(height: 5)
        let pending = board.expect("tx-a")
        board.close()
        #expect(try await board.wait(pending) == nil)
        #expect(try await board.wait(board.expect("tx-b")) == nil)
    }

    @Test func aLookupThatFindsTheTransactionAnswersAtOnceAndLeavesNoWatch() async throws {
        let board = CommitBoard(height: 3)
        let stored = TransactionLocation(blockNumber: 2, position: 0, code: .valid)
        #expect(try await board.location(of: "tx-stored") { stored } == stored)
        // Were a watch left behind, this block would resolve it; nothing is waiting, nothing breaks.
        board.published(blockNumber: 3, transactions: [indexed("tx-stored", block: 3, code: .duplicateTxid)])

        async let pending = board.location(of: "tx-new") { nil }
        try await Task.sleep(for: .milliseconds(20))
        board.published(blockNumber: 4, transactions: [indexed("tx-new", block: 4, code: .valid)])
        #expect(try await pending?.blockNumber == 4)
    }

    @Test func aCancelledWaiterGetsCancellationError() async throws {
        let board = CommitBoard(height: 1)
        let ticket = board.expect("tx-never")
        let waiter = Task { try await board.wait(ticket) }
        try await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
    }
}
