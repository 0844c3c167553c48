internal import Chaincode
internal import Foundation
internal import Identity
internal import LedgerCore
internal import LedgerStore
internal import Logging
internal import Schema
internal import Synchronization

/// One channel on this node, in its three roles: the orderer that admits and queues
/// transactions (`orderer`), the committer that turns each cut batch into a signed, validated,
/// durable block (`committer`), and the peer that endorses, evaluates and answers what has
/// committed (`peer`); readers of blocks use `chain`. A node running several roles for a channel
/// wires them together here; the roles meet only through the ordered batches and the commit board.
final class ChannelLedger: Sendable {
    /// The channel's configuration in force, which configuration blocks change.
    let current: CurrentChannelContext
    let peer: ChannelPeer
    /// The admission checks of an orderer, and the embedded orderer's queue.
    let orderer: ChannelOrderer
    let committer: ChannelCommitter
    let chain: ChannelChain
    /// The network's ordering service, when this node is a peer of a multi-node network; nil
    /// when the node orders its channels itself.
    let remote: RemoteOrdering?
    /// Other organisations' peers, for endorsements this node's peers cannot give (a network peer).
    let remoteEndorsement: RemoteEndorsement?
    private let halt: CommitHalt
    private let pulling = Mutex<Task<Void, Never>?>(nil)

    private init(
        context: ChannelContext, store: LedgerStore, tip: ChannelCommitter.Tip, chaincodes: ChaincodeDispatcher,
        peers: [HostedPeer], orderer: RequestSigner, observers: CommitObservers, network: PeerNetworking?, logger: Logger
    ) throws {
        let current = CurrentChannelContext(context)
        self.current = current
        let board = CommitBoard(height: tip.header.number + 1)
        let halt = CommitHalt()
        self.halt = halt
        self.remote = network.map { RemoteOrdering(current: current, connections: $0.connections, logger: logger) }
        self.remoteEndorsement = network.map { RemoteEndorsement(current: current, peers: OrganizationPeers(connections: $0.connections)) }
        // The committer trusts the endorsements this node's own peers signed without verifying
        // them again; every other signature is verified.
        let issued = IssuedSignatures()
        self.peer = ChannelPeer(
            current: current, store: store, chaincodes: chaincodes, endorser: Endorser(issued: issued), peers: peers, board: board)
        self.orderer = ChannelOrderer(current: current, halt: halt)
        self.committer = ChannelCommitter(
            current: current, store: store, tip: tip, knownChaincodes: Set(chaincodes.contractNames), issued: issued, orderer: orderer,
            board: board, observers: observers, halt: halt, logger: logger)
        self.chain = ChannelChain(store: store, board: board)
        for name in chaincodes.contractNames {
            for field in chaincodes.contract(named: name)?.indexedFields ?? [] {
                try store.declareIndex(namespace: name, field: field)
            }
        }
    }

    /// The channel's configuration in force now.
    var context: ChannelContext { current.context }

    /// Why the committer stopped (a storage failure other than a full disk), once it has.
    var stoppedCommitting: String? { halt.reason }

    /// Whether the channel takes new transactions now: not once its committer stopped, nor while
    /// it waits for disk space.
    var acceptsTransactions: Bool { halt.reason == nil && !halt.isWaitingForSpace }

    var channelID: String { context.channelID }

    /// Opens an existing channel directory: reads the configuration in force from the newest
    /// configuration block and replays every stored block that state does not include yet.
    static func open(
        directory: URL, chaincodes: ChaincodeDispatcher, peers: [HostedPeer], orderer: RequestSigner,
        observers: CommitObservers, durability: Durability, network: PeerNetworking?, logger: Logger
    ) throws -> ChannelLedger {
        let store = try LedgerStore(directory: directory, durability: durability)
        if let discarded = store.discardedState {
            logger.warning(
                "state was ahead of the block store (its tail was lost, as by a torn write); rebuilding state from the blocks",
                metadata: ["directory": "\(directory.path)", "state-applied": "\(discarded.applied)", "blocks": "\(discarded.height)"])
        }
        let context = try store.blocks.configurationInForce()
        let config = context.config
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
            context: context, store: store, tip: tip, chaincodes: chaincodes, peers: peers, orderer: orderer, observers: observers,
            network: network, logger: logger)
    }

    /// Creates the channel in `directory` with its genesis block, signed by `orderer`.
    static func create(
        config: Medledger_V1_ChannelConfig, directory: URL, chaincodes: ChaincodeDispatcher, peers: [HostedPeer],
        orderer: RequestSigner, observers: CommitObservers, durability: Durability, logger: Logger
    ) throws -> ChannelLedger {
        let genesis = try BlockAssembly.genesis(config: config, orderer: orderer, now: Date())
        return try start(
            genesis: genesis, config: config, directory: directory, chaincodes: chaincodes, peers: peers, orderer: orderer,
            observers: observers, durability: durability, network: nil, logger: logger)
    }

    /// Joins the channel of `genesis` (checked by `GenesisAdmission`) in `directory`, as a peer of
    /// the network whose orderers the configuration names.
    static func join(
        genesis: Medledger_V1_Block, config: Medledger_V1_ChannelConfig, directory: URL, chaincodes: ChaincodeDispatcher,
        peers: [HostedPeer], orderer: RequestSigner, observers: CommitObservers, durability: Durability, network: PeerNetworking,
        logger: Logger
    ) throws -> ChannelLedger {
        try start(
            genesis: BlockAssembly.ordered(genesis), config: config, directory: directory, chaincodes: chaincodes, peers: peers,
            orderer: orderer, observers: observers, durability: durability, network: network, logger: logger)
    }

    private static func start(
        genesis ordered: Medledger_V1_Block, config: Medledger_V1_ChannelConfig, directory: URL, chaincodes: ChaincodeDispatcher,
        peers: [HostedPeer], orderer: RequestSigner, observers: CommitObservers, durability: Durability, network: PeerNetworking?,
        logger: Logger
    ) throws -> ChannelLedger {
        let context = try ChannelContext(config: config, configBlockNumber: 0)
        let (genesis, _) = try BlockAssembly.complete(ordered, codes: [.valid], previousCommitHash: Data())
        let checked = TransactionValidator(channel: context, knownChaincodes: []).check(genesis.data?.data.first ?? Data(), blockNumber: 0)
        guard checked.code == .valid else {
            throw GatewayError.invalidArgument("the genesis configuration is refused: \(checked.reason ?? "\(checked.code)")")
        }
        let store = try LedgerStore(directory: directory, durability: durability)
        try store.commit(genesis, update: StateUpdate.derive(from: genesis))
        let tip = ChannelCommitter.Tip(header: genesis.header ?? .init(), commitHash: genesis.metadata?.commitHash ?? Data())
        return try ChannelLedger(
            context: context, store: store, tip: tip, chaincodes: chaincodes, peers: peers, orderer: orderer, observers: observers,
            network: network, logger: logger)
    }

    /// Endorses `signed` with this node's peers and, on a network peer, with peers of the other
    /// organisations the chaincode's policy (or `organizations`) needs.
    func endorse(_ signed: Medledger_V1_SignedProposal, organizations: [String], now: Date) async throws -> Medledger_V1_EndorseResponse {
        let (local, remote) = try peer.endorsement(signed, organizations: organizations, now: now, othersReachable: remoteEndorsement != nil)
        guard let remoteEndorsement, !remote.isEmpty else { return local }
        return try await remoteEndorsement.complete(local, of: signed, by: remote)
    }

    /// Admits an envelope (the orderer's checks; nothing is queued if one fails) and queues it.
    func submit(_ envelopeBytes: Data, declaredTxID: String = "") async throws(GatewayError) {
        try await order(try orderer.admit(envelopeBytes, declaredTxID: declaredTxID))
    }

    /// Queues the transaction with the embedded orderer, or forwards it to the network's.
    private func order(_ admitted: AdmittedTransaction) async throws(GatewayError) {
        if let remote {
            _ = try await remote.broadcast(admitted.envelope)
        } else {
            try await orderer.enqueue(admitted)
        }
    }

    /// `submit`, with the peer watching for the transaction's commit from before the orderer has
    /// it: the ticket needs no transaction-index lookup to learn the outcome.
    func submitWatchingCommit(_ envelopeBytes: Data, declaredTxID: String = "") async throws(GatewayError) -> CommitTicket {
        let admitted = try orderer.admit(envelopeBytes, declaredTxID: declaredTxID)
        let ticket = peer.expectCommit(admitted.txID)
        do {
            try await order(admitted)
        } catch {
            peer.cancel(ticket)
            throw error
        }
        return ticket
    }

    /// Commits the orderer's batches until it finishes, or (in a network) the blocks pulled from
    /// the network's orderers until `stopOrdering()`.
    func runCommitter() async {
        guard let remote else {
            await committer.run(orderer.batches) { [orderer] in await orderer.adoptCurrentLimits() }
            return
        }
        let task = Task { [committer, halt] in await remote.pull(into: committer, halt: halt) }
        pulling.withLock { $0 = task }
        await task.value
        committer.close()
    }

    /// Stops taking transactions: the embedded orderer's queued batches still commit; a peer stops
    /// pulling blocks.
    func stopOrdering() async {
        await orderer.finish()
        pulling.withLock { $0 }?.cancel()
    }
}
