internal import Chaincode
internal import Dispatch
internal import Foundation
internal import Identity
internal import LedgerCore
internal import LedgerStore
internal import Logging
internal import Schema
internal import Synchronization
internal import Wire

/// One channel on this node: its chain and state (`LedgerStore`), its configuration, its orderer
/// queue, and the committer that turns each cut batch into a signed, validated, durable block.
///
/// The committer is the only writer: for each batch it builds the header, checks every transaction
/// (stateless checks in parallel on all cores, then MVCC in order), signs the block as orderer,
/// appends it to the block store (the source of truth, one sync), applies the derived state update
/// in one SQLite transaction, and only then tells waiters — so a VALID answer is never lost.
final class ChannelLedger: Sendable {
    struct Tip: Sendable {
        var header: Medledger_V1_BlockHeader
        var commitHash: Data
    }

    let context: ChannelContext
    let store: LedgerStore
    let chaincodes: ChaincodeDispatcher
    let board: CommitBoard
    let ordering: OrderingQueue
    let endorser: Endorser
    let peers: [HostedPeer]
    private let orderer: RequestSigner
    private let observers: CommitObservers
    private let validator: TransactionValidator
    private let tip: Mutex<Tip>
    private let failure = Mutex<String?>(nil)
    private let logger: Logger
    private let commitQueue = DispatchQueue(label: "medledger.committer")

    private init(
        context: ChannelContext, store: LedgerStore, tip: Tip, chaincodes: ChaincodeDispatcher,
        peers: [HostedPeer], orderer: RequestSigner, observers: CommitObservers, logger: Logger
    ) throws {
        self.observers = observers
        self.context = context
        self.store = store
        self.chaincodes = chaincodes
        self.board = CommitBoard(height: tip.header.number + 1)
        self.ordering = OrderingQueue(limits: context.limits)
        self.peers = peers
        self.orderer = orderer
        // The validator trusts the endorsements this node's own peers signed without verifying
        // them again; every other signature is verified.
        let issued = IssuedSignatures()
        self.endorser = Endorser(issued: issued)
        self.validator = TransactionValidator(channel: context, knownChaincodes: Set(chaincodes.contractNames), issued: issued)
        self.tip = Mutex(tip)
        self.logger = logger
        for name in chaincodes.contractNames {
            for field in chaincodes.contract(named: name)?.indexedFields ?? [] {
                try store.declareIndex(namespace: name, field: field)
            }
        }
    }

    var channelID: String { context.channelID }

    /// Opens an existing channel directory: reads the configuration from the genesis block and
    /// replays every stored block that state does not include yet.
    static func open(
        directory: URL, chaincodes: ChaincodeDispatcher, peers: [HostedPeer], orderer: RequestSigner,
        observers: CommitObservers, durability: Durability, logger: Logger
    ) throws -> ChannelLedger {
        let store = try LedgerStore(directory: directory, durability: durability)
        guard let genesis = try store.blocks.block(0), let config = BlockAssembly.genesisConfig(in: genesis) else {
            throw LedgerError.corrupted(block: 0, reason: "\(directory.path) holds no genesis configuration block")
        }
        let context = try ChannelContext(config: config, configBlockNumber: 0)
        let replayed = try store.replay(derive: StateUpdate.derive(from:))
        let height = try store.blocks.height()
        guard height > 0, let last = try store.blocks.block(height - 1), let header = last.header else {
            throw LedgerError.corrupted(block: height == 0 ? nil : height - 1, reason: "the newest block is unreadable")
        }
        // The tail of the block store: the newest block must chain to the one before it.
        if height > 1, let before = try store.blocks.block(height - 2)?.header, header.previousHash != BlockHashing.hash(of: before) {
            throw LedgerError.corrupted(block: height - 1, reason: "its previous_hash does not match block \(height - 2)")
        }
        if replayed > 0 {
            logger.notice("replayed blocks into state", metadata: ["channel": "\(config.channelID)", "blocks": "\(replayed)"])
        }
        let tip = Tip(header: header, commitHash: last.metadata?.commitHash ?? Data())
        return try ChannelLedger(
            context: context, store: store, tip: tip, chaincodes: chaincodes, peers: peers, orderer: orderer, observers: observers, logger: logger)
    }

    /// Creates the channel in `directory` with its genesis block, signed by `orderer`.
    static func create(
        config: Medledger_V1_ChannelConfig, directory: URL, chaincodes: ChaincodeDispatcher, peers: [HostedPeer],
        orderer: RequestSigner, observers: CommitObservers, durability: Durability, logger: Logger
    ) throws -> ChannelLedger {
        let context = try ChannelContext(config: config, configBlockNumber: 0)
        let genesis = try BlockAssembly.genesis(config: config, orderer: orderer, now: Date())
        let checked = TransactionValidator(channel: context, knownChaincodes: []).check(genesis.data?.data.first ?? Data(), blockNumber: 0)
        guard checked.code == .valid else {
            throw GatewayError.invalidArgument("the genesis configuration is refused: \(checked.reason ?? "\(checked.code)")")
        }
        let store = try LedgerStore(directory: directory, durability: durability)
        try store.commit(genesis, update: StateUpdate.derive(from: genesis))
        let tip = Tip(header: genesis.header ?? .init(), commitHash: genesis.metadata?.commitHash ?? Data())
        return try ChannelLedger(
            context: context, store: store, tip: tip, chaincodes: chaincodes, peers: peers, orderer: orderer, observers: observers, logger: logger)
    }

    /// Accepts an envelope for ordering after checking what the orderer checks: it decodes, it is
    /// for this channel, its creator is a member and signed it, and its tx ID is `declaredTxID`
    /// (when one is declared). Nothing is queued if a check fails.
    func submit(_ envelopeBytes: Data, declaredTxID: String = "") async throws(GatewayError) {
        _ = try admit(envelopeBytes, declaredTxID: declaredTxID)
        try await ordering.submit(OrderedTransaction(envelope: envelopeBytes, signatureVerified: true))
    }

    /// `submit`, watching for the transaction's commit from before the orderer has it: the ticket
    /// needs no transaction-index lookup to learn the outcome (`board.wait`).
    func submitWatchingCommit(_ envelopeBytes: Data, declaredTxID: String = "") async throws(GatewayError) -> CommitTicket {
        let txID = try admit(envelopeBytes, declaredTxID: declaredTxID)
        let ticket = board.expect(txID)
        do {
            try await ordering.submit(OrderedTransaction(envelope: envelopeBytes, signatureVerified: true))
        } catch {
            board.cancel(ticket)
            throw error
        }
        return ticket
    }

    private func admit(_ envelopeBytes: Data, declaredTxID: String) throws(GatewayError) -> String {
        if let failed = failure.withLock({ $0 }) { throw .unavailable("channel \(channelID) stopped committing: \(failed)") }
        guard envelopeBytes.count <= context.limits.absoluteMaxBytes else {
            throw .tooLarge("the transaction has \(envelopeBytes.count) bytes; channel \(channelID) accepts at most \(context.limits.absoluteMaxBytes)")
        }
        let envelope: Medledger_V1_Envelope
        let transaction: Medledger_V1_Transaction
        do {
            envelope = try Medledger_V1_Envelope(serializedData: envelopeBytes)
            transaction = try Medledger_V1_Transaction(serializedData: envelope.payload)
        } catch {
            throw .invalidArgument("prepared_transaction does not decode as an Envelope holding a Transaction: \(error)")
        }
        guard case .endorserTransaction(let endorsed)? = transaction.body, let proposal = endorsed.proposal else {
            throw .invalidArgument("prepared_transaction must hold an endorser transaction with its proposal")
        }
        guard proposal.channelID == channelID else {
            throw .invalidArgument("the transaction is for channel \(QuotedInput.quote(proposal.channelID)), not \(QuotedInput.quote(channelID))")
        }
        guard declaredTxID.isEmpty || declaredTxID == proposal.txID else {
            throw .invalidArgument("transaction_id \(QuotedInput.quote(declaredTxID)) is not the prepared transaction's tx ID \(QuotedInput.quote(proposal.txID))")
        }
        let creator: Identity
        do { creator = try context.identity(der: proposal.creator, at: (proposal.timestamp ?? .init()).date) } catch {
            throw .badSignature("the transaction's creator is not a member of channel \(QuotedInput.quote(channelID)): \(error)")
        }
        guard SignatureVerifier.isValid(signature: envelope.signature, payload: envelope.payload, key: creator.publicKey) else {
            throw .badSignature("prepared_transaction.signature does not verify against the certificate of \(creator)")
        }
        return proposal.txID
    }

    /// Where `txID` committed, waiting for it if needed; nil if the node shut down first.
    func commitStatus(_ txID: String) async throws -> TransactionLocation? {
        try await board.location(of: txID) { try store.transaction(txID) }
    }

    /// Consumes the orderer's batches until the queue finishes. A storage failure stops the channel
    /// (later submissions are refused with UNAVAILABLE) rather than risk a gap in the chain.
    func runCommitter() async {
        for await batch in ordering.batches {
            do {
                try await onCommitThread { try self.commit(batch) }
            } catch {
                logger.critical("cannot commit; channel stopped", metadata: ["channel": "\(channelID)", "error": "\(error)"])
                failure.withLock { $0 = "\(error)" }
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
        observers.committed(block, events: update.events, channel: channelID)
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
