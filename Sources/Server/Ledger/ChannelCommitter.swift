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
/// tells waiters and observers — so a VALID answer is never lost.
final class ChannelCommitter: Sendable {
    /// The newest committed block: what the next one chains to.
    struct Tip: Sendable {
        var header: Medledger_V1_BlockHeader
        var commitHash: Data
    }

    private let context: ChannelContext
    private let store: LedgerStore
    private let validator: TransactionValidator
    private let orderer: RequestSigner
    private let board: CommitBoard
    private let observers: CommitObservers
    private let halt: CommitHalt
    private let tip: Mutex<Tip>
    private let logger: Logger
    private let commitQueue = DispatchQueue(label: "medledger.committer")

    init(
        context: ChannelContext, store: LedgerStore, tip: Tip, validator: TransactionValidator, orderer: RequestSigner,
        board: CommitBoard, observers: CommitObservers, halt: CommitHalt, logger: Logger
    ) {
        self.context = context
        self.store = store
        self.validator = validator
        self.orderer = orderer
        self.board = board
        self.observers = observers
        self.halt = halt
        self.tip = Mutex(tip)
        self.logger = logger
    }

    /// Commits `batches` until they finish. A storage failure stops the channel (the orderer then
    /// refuses submissions with UNAVAILABLE) rather than risk a gap in the chain.
    func run(_ batches: AsyncStream<[OrderedTransaction]>) async {
        for await batch in batches {
            do {
                try await onCommitThread { try self.commit(batch) }
            } catch {
                logger.critical("cannot commit; channel stopped", metadata: ["channel": "\(context.channelID)", "error": "\(error)"])
                halt.stop(because: "\(error)")
                break
            }
        }
        board.close()
    }

    /// Validation and the block's fsync block their thread for milliseconds; they run on a thread
    /// of their own so the cooperative pool keeps serving endorsements and submissions meanwhile.
    private func onCommitThread(_ work: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            commitQueue.async {
                continuation.resume(with: Result { try work() })
            }
        }
    }

    private func commit(_ batch: [OrderedTransaction]) throws {
        let previous = tip.withLock { $0 }
        let number = previous.header.number + 1
        let checked = checkInParallel(batch, blockNumber: number)
        let codes = try store.withSnapshot { state in try BlockValidator().finish(checked, state: state) }
        let (block, update) = try BlockAssembly.assemble(
            after: previous.header, previousCommitHash: previous.commitHash, envelopes: batch.map(\.envelope),
            codes: codes, lastConfigBlock: context.configBlockNumber, orderer: orderer)
        let header = block.header ?? .init()
        let commitHash = block.metadata?.commitHash ?? Data()

        try store.commit(block, update: update)
        tip.withLock { $0 = Tip(header: header, commitHash: commitHash) }
        board.published(blockNumber: header.number, transactions: update.transactions)
        observers.committed(block, events: update.events, channel: context.channelID)
        for (index, transaction) in checked.enumerated() where transaction.code != .valid {
            logger.debug("invalid transaction", metadata: ["tx": "\(transaction.txID ?? "?")", "reason": "\(transaction.reason ?? "")", "position": "\(index)"])
        }
    }

    /// The stateless checks of a batch, split across the machine's cores.
    private func checkInParallel(_ batch: [OrderedTransaction], blockNumber: UInt64) -> [CheckedTransaction] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, batch.count / 8))
        let results = Mutex([CheckedTransaction?](repeating: nil, count: batch.count))
        let validator = validator
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var local: [(Int, CheckedTransaction)] = []
            for index in stride(from: worker, to: batch.count, by: workers) {
                let transaction = batch[index]
                local.append((index, validator.check(transaction.envelope, blockNumber: blockNumber, creatorSignatureVerified: transaction.signatureVerified)))
            }
            results.withLock { results in
                for (index, checked) in local { results[index] = checked }
            }
        }
        return results.withLock { $0.map { $0! } }
    }
}
