internal import LedgerCore
internal import LedgerStore
internal import Schema

/// A channel's committed chain as its readers see it (Deliver, chaincode events, ListChannels,
/// the genesis block): its height, its blocks, and a wait for the next one. Read-only.
struct ChannelChain: Sendable {
    private let store: LedgerStore
    private let board: CommitBoard

    init(store: LedgerStore, board: CommitBoard) {
        self.store = store
        self.board = board
    }

    /// How many blocks have committed (and been published to waiters).
    var height: UInt64 { board.height }

    /// Block `number`, nil if it has not committed.
    func block(_ number: UInt64) throws -> Medledger_V1_Block? {
        try store.blocks.block(number)
    }

    /// Waits until the chain is higher than `height`; false if the node shut down first.
    func waitForHeight(above height: UInt64) async -> Bool {
        await board.waitForHeight(above: height)
    }
}
