internal import Chaincode
internal import Foundation
internal import Identity
internal import LedgerCore
internal import LedgerStore
internal import Logging
internal import Schema

/// One channel on this node, in its three roles: the orderer that admits and queues
/// transactions (`orderer`), the committer that turns each cut batch into a signed, validated,
/// durable block (`committer`), and the peer that endorses, evaluates and answers what has
/// committed (`peer`); readers of blocks use `chain`. A node running several roles for a channel
/// wires them together here; the roles meet only through the ordered batches and the commit board.
final class ChannelLedger: Sendable {
    let context: ChannelContext
    let peer: ChannelPeer
    let orderer: ChannelOrderer
    let committer: ChannelCommitter
    let chain: ChannelChain

    private init(
        context: ChannelContext, store: LedgerStore, tip: ChannelCommitter.Tip, chaincodes: ChaincodeDispatcher,
        peers: [HostedPeer], orderer: RequestSigner, observers: CommitObservers, logger: Logger
    ) throws {
        self.context = context
        let board = CommitBoard(height: tip.header.number + 1)
        let halt = CommitHalt()
        // The validator trusts the endorsements this node's own peers signed without verifying
        // them again; every other signature is verified.
        let issued = IssuedSignatures()
        let validator = TransactionValidator(channel: context, knownChaincodes: Set(chaincodes.contractNames), issued: issued)
        self.peer = ChannelPeer(
            context: context, store: store, chaincodes: chaincodes, endorser: Endorser(issued: issued), peers: peers, board: board)
        self.orderer = ChannelOrderer(context: context, halt: halt)
        self.committer = ChannelCommitter(
            context: context, store: store, tip: tip, validator: validator, orderer: orderer, board: board, observers: observers,
            halt: halt, logger: logger)
        self.chain = ChannelChain(store: store, board: board)
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
        let tip = ChannelCommitter.Tip(header: header, commitHash: last.metadata?.commitHash ?? Data())
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
        let tip = ChannelCommitter.Tip(header: genesis.header ?? .init(), commitHash: genesis.metadata?.commitHash ?? Data())
        return try ChannelLedger(
            context: context, store: store, tip: tip, chaincodes: chaincodes, peers: peers, orderer: orderer, observers: observers, logger: logger)
    }

    /// Admits an envelope (the orderer's checks; nothing is queued if one fails) and queues it.
    func submit(_ envelopeBytes: Data, declaredTxID: String = "") async throws(GatewayError) {
        try await orderer.enqueue(try orderer.admit(envelopeBytes, declaredTxID: declaredTxID))
    }

    /// `submit`, with the peer watching for the transaction's commit from before the orderer has
    /// it: the ticket needs no transaction-index lookup to learn the outcome.
    func submitWatchingCommit(_ envelopeBytes: Data, declaredTxID: String = "") async throws(GatewayError) -> CommitTicket {
        let admitted = try orderer.admit(envelopeBytes, declaredTxID: declaredTxID)
        let ticket = peer.expectCommit(admitted.txID)
        do {
            try await orderer.enqueue(admitted)
        } catch {
            peer.cancel(ticket)
            throw error
        }
        return ticket
    }

    /// Commits the orderer's batches until it finishes.
    func runCommitter() async {
        await committer.run(orderer.batches)
    }
}
