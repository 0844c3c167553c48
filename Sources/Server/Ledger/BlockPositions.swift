internal import GRPCCore
internal import LedgerCore
internal import LedgerStore
internal import Schema
internal import Wire

/// A chain Deliver can stream: a peer's committed chain or an orderer's ordered chain.
protocol DeliverableChain: Sendable {
    /// How many blocks the chain holds.
    var height: UInt64 { get }
    /// Block `number`, nil if not held.
    func block(_ number: UInt64) throws -> Medledger_V1_Block?
    /// Waits until the chain is higher than `height`; false if the node shut down first.
    func waitForHeight(above height: UInt64) async -> Bool
}

extension ChannelChain: DeliverableChain {}

/// Seek positions turned into block numbers, and the loop that sends a channel's blocks in order,
/// waiting for new ones when asked to.
enum BlockPositions {
    enum Default {
        case oldest, nextCommit
    }

    /// The first block number `position` names on a chain of `height` blocks.
    static func start(_ position: Medledger_V1_SeekPosition?, default fallback: Default, height: UInt64) throws -> UInt64 {
        switch position?.position {
        case .oldest?: return 0
        case .newest?: return height - 1
        case .nextCommit?: return height
        case .specified(let specified)?: return specified.number
        case nil:
            if position != nil { throw GatewayError.invalidArgument("a seek position must set one of oldest, newest, specified, next_commit") }
            return fallback == .oldest ? 0 : height
        }
    }

    /// The last block number `position` names (inclusive); nil means follow forever.
    static func stop(_ position: Medledger_V1_SeekPosition?, height: UInt64) throws -> UInt64? {
        guard let position else { return nil }
        return try start(position, default: .oldest, height: height)
    }

    /// Calls `body` with every block from `start` through `stop` (nil: without end). When a block is
    /// not committed yet it waits if `waitForNew`, else throws OUT_OF_RANGE. Ends when the node
    /// shuts down or the caller cancels.
    static func follow(
        _ chain: some DeliverableChain, from start: UInt64, through stop: UInt64?, waitForNew: Bool,
        _ body: (Medledger_V1_Block) async throws -> Void
    ) async throws {
        var next = start
        while stop.map({ next <= $0 }) ?? true {
            if next >= chain.height {
                guard waitForNew else {
                    throw RPCError(code: .outOfRange, message: "block \(next) is not committed yet (height \(chain.height))")
                }
                guard await chain.waitForHeight(above: next) else { return }
                continue
            }
            guard let block = try chain.block(next) else {
                throw LedgerError.corrupted(block: next, reason: "missing from the block store")
            }
            try await body(block)
            next += 1
        }
    }
}

/// Chaincode events of committed blocks.
enum ChaincodeEvents {
    /// The events of `chaincode` (nil: of every chaincode) set by the block's valid transactions,
    /// in transaction order.
    static func valid(in block: Medledger_V1_Block, chaincode: String?) -> [Medledger_V1_ChaincodeEvent] {
        // A stored block derived without error when it committed; one that no longer does has no events to give.
        let events = (try? StateUpdate.derive(from: block))?.events ?? []
        guard let chaincode else { return events }
        return events.filter { $0.chaincodeName == chaincode }
    }
}

extension ChaincodeEvents {
    /// The events of every chaincode set by the block's valid transactions, in transaction order.
    static func valid(in block: Medledger_V1_Block) -> [Medledger_V1_ChaincodeEvent] {
        valid(in: block, chaincode: nil)
    }
}
