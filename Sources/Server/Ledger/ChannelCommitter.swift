internal import Dispatch
internal import Foundation
internal import Identity
internal import LedgerCore
internal import LedgerStore
internal import Logging
internal import Schema
internal import Synchronization

/// The committer of one channel, the only writer of its ledger: for each batch the orderer cut it
/// builds the header, checks every transaction (stateless checks in parallel on all cores, then
/// MVCC in order), signs the block as orderer, appends it to the block store (the source of
/// truth, one sync), applies the derived state update in one SQLite transaction, and only then
/// tells waiters and observers — so a VALID answer is never lost. Each block is validated under
/// the configuration in force before it; a committed configuration block puts its configuration
/// in force for the next.
final class ChannelCommitter: Sendable {
    /// The newest committed block: what the next one chains to.
    struct Tip: Sendable {
        var header: Medledger_V1_BlockHeader
        var commitHash: Data
    }

    private let current: CurrentChannelContext
    private let store: LedgerStore
    private let knownChaincodes: Set<String>
    /// Endorsements this node's own peers signed: trusted without verifying them again.
    private let issued: IssuedSignatures
    private let orderer: RequestSigner
    private let board: CommitBoard
    private let observers: CommitObservers
    private let halt: CommitHalt
    private let tip: Mutex<Tip>
    private let logger: Logger
    private let commitQueue = DispatchQueue(label: "medledger.committer")

    init(
        current: CurrentChannelContext, store: LedgerStore, tip: Tip, knownChaincodes: Set<String>, issued: IssuedSignatures,
        orderer: RequestSigner, board: CommitBoard, observers: CommitObservers, halt: CommitHalt, logger: Logger
    ) {
        self.current = current
        self.store = store
        self.knownChaincodes = knownChaincodes
        self.issued = issued
        self.orderer = orderer
        self.board = board
        self.observers = observers
        self.halt = halt
        self.tip = Mutex(tip)
        self.logger = logger
    }

    /// Commits `batches` until they finish; after a configuration block, `configurationChanged`
    /// runs before the next batch commits. A storage failure stops the channel (the orderer then
    /// refuses submissions with UNAVAILABLE) rather than risk a gap in the chain.
    func run(_ batches: AsyncStream<[OrderedTransaction]>, configurationChanged: @Sendable () async -> Void) async {
        for await batch in batches {
            do {
                if try await onCommitThread({ try self.commit(batch) }) != nil { await configurationChanged() }
            } catch {
                logger.critical("cannot commit; channel stopped", metadata: ["channel": "\(current.context.channelID)", "error": "\(error)"])
                halt.stop(because: "\(error)")
                break
            }
        }
        board.close()
    }

    /// Validation and the block's fsync block their thread for milliseconds; they run on a thread
    /// of their own so the cooperative pool keeps serving endorsements and submissions meanwhile.
    private func onCommitThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            commitQueue.async {
                continuation.resume(with: Result { try work() })
            }
        }
    }

    /// Commits a block an orderer delivered, after checking that it is the next block of this
    /// channel and signed by a member orderer (`OrderedBlockCheck`). Every transaction is validated
    /// here, whatever another node recorded for it. A block this node already holds is skipped
    /// (false): delivery may repeat the tip after a reconnection.
    func commitDelivered(_ block: Medledger_V1_Block) async throws -> Bool {
        try await onCommitThread {
            let previous = self.tip.withLock { $0 }
            let number = block.header?.number ?? 0
            if number <= previous.header.number { return false }
            let context = self.current.context
            let after = try OrderedBlockCheck.check(block, follows: previous.header, context: context)
            let ordered = BlockAssembly.ordered(block)
            try self.commit(
                ordered, after: previous, context: context, installing: after.configBlockNumber == number ? after : nil,
                signatureVerified: [Bool](repeating: false, count: ordered.data?.data.count ?? 0))
            return true
        }
    }

    /// Tells waiters no more blocks will commit (a peer stopped pulling).
    func close() {
        board.close()
    }

    /// The number of the newest committed block.
    var tipNumber: UInt64 { tip.withLock { $0.header.number } }

    /// Orders and commits one cut batch; returns the configuration it put in force, if it was a
    /// configuration block.
    private func commit(_ batch: [OrderedTransaction]) throws -> ChannelContext? {
        let previous = tip.withLock { $0 }
        let context = current.context
        let envelopes = batch.map(\.envelope)
        let installing = ConfigUpdate.installed(by: envelopes, blockNumber: previous.header.number + 1, current: context)
        let ordered = try BlockAssembly.order(
            after: previous.header, envelopes: envelopes, lastConfigBlock: (installing ?? context).configBlockNumber, orderer: orderer)
        return try commit(ordered, after: previous, context: context, installing: installing, signatureVerified: batch.map(\.signatureVerified))
    }

    /// Validates `ordered` under `context` (stateless checks in parallel, then MVCC in order),
    /// completes it with the validation codes and commit hash, stores it, puts the configuration
    /// it is `installing` (a configuration block) in force, and only then publishes it.
    @discardableResult
    private func commit(
        _ ordered: Medledger_V1_Block, after previous: Tip, context: ChannelContext, installing: ChannelContext?, signatureVerified: [Bool]
    ) throws -> ChannelContext? {
        let number = previous.header.number + 1
        let envelopes = ordered.data?.data ?? []
        let validator = TransactionValidator(channel: context, knownChaincodes: knownChaincodes, issued: issued)
        let checked = checkInParallel(envelopes, validator: validator, signatureVerified: signatureVerified, blockNumber: number)
        let codes = try store.withSnapshot { state in try BlockValidator().finish(checked, state: state) }
        let (block, update) = try BlockAssembly.complete(ordered, codes: codes, previousCommitHash: previous.commitHash)
        let header = block.header ?? .init()
        let commitHash = block.metadata?.commitHash ?? Data()

        try storeWaitingForSpace(block, update: update)
        tip.withLock { $0 = Tip(header: header, commitHash: commitHash) }
        let installed = codes == [.valid] ? installing : nil
        if let installed {
            current.advance(to: installed)
            logger.notice(
                "channel configuration changed",
                metadata: ["channel": "\(context.channelID)", "block": "\(number)", "sequence": "\(installed.config.sequence)"])
        }
        board.published(blockNumber: header.number, transactions: update.transactions)
        observers.committed(block, transactionIDs: update.transactions.map(\.txID), events: update.events, channel: context.channelID)
        for (index, transaction) in checked.enumerated() where transaction.code != .valid {
            logger.debug("invalid transaction", metadata: ["tx": "\(transaction.txID ?? "?")", "reason": "\(transaction.reason ?? "")", "position": "\(index)"])
        }
        return installed
    }

    /// Stores the block and its state update. A full disk does not stop the channel: the same block
    /// and update are stored again every `diskFullRetry` until space is freed (nothing partial
    /// stays: SQLite rolled the failed transaction back, and a block already appended is not
    /// appended twice), while the orderer refuses new transactions with RESOURCE_EXHAUSTED.
    private func storeWaitingForSpace(_ block: Medledger_V1_Block, update: StateUpdate) throws {
        var waiting = false
        defer { if waiting { halt.waitForSpace(false) } }
        while true {
            do {
                try store.commit(block, update: update)
                if waiting {
                    logger.notice("disk has space again; committing", metadata: ["channel": "\(current.context.channelID)", "block": "\(update.blockNumber)"])
                }
                return
            } catch .diskFull(let database) {
                if !waiting {
                    logger.error(
                        "disk full: block waits to be stored, new transactions are refused until space is freed",
                        metadata: ["channel": "\(current.context.channelID)", "block": "\(update.blockNumber)", "database": "\(database)"])
                    waiting = true
                    halt.waitForSpace(true)
                }
                Thread.sleep(forTimeInterval: Self.diskFullRetry)
            }
        }
    }

    /// How often a block the full disk refused is tried again, in seconds.
    static let diskFullRetry = 0.5

    /// The stateless checks of a batch, split across the machine's cores.
    private func checkInParallel(
        _ envelopes: [Data], validator: TransactionValidator, signatureVerified: [Bool], blockNumber: UInt64
    ) -> [CheckedTransaction] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, envelopes.count / 8))
        let results = Mutex([CheckedTransaction?](repeating: nil, count: envelopes.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var local: [(Int, CheckedTransaction)] = []
            for index in stride(from: worker, to: envelopes.count, by: workers) {
                local.append((index, validator.check(envelopes[index], blockNumber: blockNumber, creatorSignatureVerified: signatureVerified[index])))
            }
            results.withLock { results in
                for (index, checked) in local { results[index] = checked }
            }
        }
        return results.withLock { $0.map { $0! } }
    }
}
