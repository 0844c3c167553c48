public import Foundation
public import LedgerCore
public import LedgerStore
public import Schema
internal import Synchronization
internal import Wire

/// An orderer's own copy of a channel's chain: ordered blocks (no peer metadata) in a block store,
/// each checked before it is appended (`OrderedBlockCheck`: next number, hash chain, orderer
/// signature), and a wait for the chain to grow, for Deliver. Appends are serialised; a block
/// this store already holds is accepted only if it is byte-identical — any other is a fork, which
/// is refused loudly. A configuration block puts its configuration in force for the blocks after it.
public final class OrdererChain: Sendable {
    public let channelID: String
    let store: BlockStore
    private struct State {
        var tip: Medledger_V1_BlockHeader
        var height: UInt64
        var context: ChannelContext
        var waiters: [(id: UInt64, above: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
        var nextWaiter: UInt64 = 0
    }
    private let state: Mutex<State>

    /// Opens the chain in `directory`, creating it from `genesis` if it is empty.
    public init(directory: URL, genesis: Medledger_V1_Block, durability: Durability = .full) throws {
        guard let config = BlockAssembly.genesisConfig(in: genesis) else {
            throw OrderingError.invalidBlock("the genesis block holds no channel configuration")
        }
        let genesisContext = try ChannelContext(config: config, configBlockNumber: 0)
        channelID = config.channelID
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        store = try BlockStore(directory: directory, durability: durability)
        if try store.height() == 0 {
            try OrderedBlockCheck.check(genesis, follows: nil, context: genesisContext)
            try store.append(BlockAssembly.ordered(genesis))
        }
        let height = try store.height()
        guard let last = try store.block(height - 1)?.header else {
            throw OrderingError.invalidBlock("block \(height - 1) of \(directory.path) is unreadable")
        }
        state = Mutex(State(tip: last, height: height, context: try store.configurationInForce()))
    }

    /// Opens a chain this orderer already holds (its block 0 carries the configuration).
    public convenience init(directory: URL, durability: Durability = .full) throws {
        let store = try BlockStore(directory: directory, durability: durability)
        guard let genesis = try store.block(0) else {
            throw OrderingError.invalidBlock("\(directory.path) holds no genesis block")
        }
        try self.init(directory: directory, genesis: genesis, durability: durability)
    }

    /// The channel's configuration in force after the newest block held.
    public var context: ChannelContext { state.withLock { $0.context } }
    /// The number of blocks held.
    public var height: UInt64 { state.withLock { $0.height } }
    /// The header of the newest block held.
    public var tip: Medledger_V1_BlockHeader { state.withLock { $0.tip } }

    /// The exact bytes of block `number`, or nil if not held.
    public func blockBytes(_ number: UInt64) throws -> Data? { try store.blockBytes(number) }

    /// Accepts block `number` from the ordering service. Returns false if it was already held
    /// (identical); throws if it does not verify, if it forks from the held block of that number,
    /// or if blocks before it are missing.
    @discardableResult
    public func accept(number: UInt64, bytes: Data) throws -> Bool {
        let appended = try state.withLock { state -> Bool in
            if number < state.height {
                guard try store.blockBytes(number) == bytes else {
                    throw OrderingError.fork("block \(number) from etcd differs from the block \(number) this orderer holds")
                }
                return false
            }
            guard number == state.height else {
                throw OrderingError.gap("block \(number) arrived but this orderer holds only blocks 0..<\(state.height)")
            }
            let block: Medledger_V1_Block
            do { block = try Medledger_V1_Block(serializedData: bytes) } catch {
                throw OrderingError.invalidBlock("block \(number) does not decode: \(error)")
            }
            let after = try OrderedBlockCheck.check(block, follows: state.tip, context: state.context)
            try store.append(number: number, bytes: bytes)
            state.tip = block.header ?? .init()
            state.height = number + 1
            state.context = after
            return true
        }
        if appended { wakeWaiters() }
        return appended
    }

    /// Block `number` decoded, or nil if not held.
    public func block(_ number: UInt64) throws -> Medledger_V1_Block? { try store.block(number) }

    /// Waits until the chain holds more than `height` blocks: true then, false if the waiting task
    /// was cancelled first.
    @discardableResult
    public func waitForHeight(above height: UInt64) async -> Bool {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let outcome = state.withLock { state -> Bool? in
                    if state.height > height { return true }
                    // Cancelled before registering: the cancellation handler found nothing to resume.
                    if Task.isCancelled { return false }
                    state.waiters.append((id, height, continuation))
                    return nil
                }
                if let outcome { continuation.resume(returning: outcome) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(returning: false)
        }
    }

    private func wakeWaiters() {
        let ready = state.withLock { state in
            let ready = state.waiters.filter { $0.above < state.height }
            state.waiters.removeAll { $0.above < state.height }
            return ready
        }
        for waiter in ready { waiter.continuation.resume(returning: true) }
    }
}
