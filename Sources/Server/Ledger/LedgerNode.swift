public import Chaincode
public import Foundation
public import Identity
internal import ContentStore
internal import LedgerCore
public import LedgerStore
public import Logging
public import Schema
internal import Synchronization
internal import Wire

/// The ledger side of a node: every channel it has joined, each under `<directory>/<channel>/`,
/// the contracts it runs, and the peer and orderer identities that sign endorsements and blocks.
/// The node is its own orderer; it may host the peers of several organisations (`HostedPeer`).
///
/// `run()` drives every channel's committer (including channels created while running) until the
/// task is cancelled or `shutDown()` is called.
public final class LedgerNode: Sendable {
    public let directory: URL
    /// The node's own organisation.
    public let mspID: String
    let chaincodes: ChaincodeDispatcher
    /// The peers this node endorses with; the first is its own organisation's.
    public let peers: [HostedPeer]
    let orderer: RequestSigner
    let durability: Durability
    /// Set when the node is a peer of a multi-node network (it joins channels and forwards
    /// transactions to the network's orderers); nil when it orders its channels itself.
    let network: PeerNetworking?
    let logger: Logger
    fileprivate let channels: Mutex<[String: ChannelLedger]>
    let observers = CommitObservers()
    private let started: AsyncStream<ChannelLedger>
    private let startedContinuation: AsyncStream<ChannelLedger>.Continuation

    /// Opens every channel found under `directory` (recovering each from its block store).
    public convenience init(
        directory: URL, mspID: String, contracts: [any Contract], peer: RequestSigner, orderer: RequestSigner,
        durability: Durability = .full, logger: Logger = Logger(label: "medledger.ledger")
    ) throws {
        try self.init(
            directory: directory, peers: [HostedPeer(mspID: mspID, signer: peer)], contracts: contracts, orderer: orderer,
            durability: durability, logger: logger)
    }

    /// Opens every channel found under `directory`; `peers.first` is the node's own organisation,
    /// which runs the orderer.
    public init(
        directory: URL, peers: [HostedPeer], contracts: [any Contract], orderer: RequestSigner,
        durability: Durability = .full, network: PeerNetworking? = nil, logger: Logger = Logger(label: "medledger.ledger")
    ) throws {
        guard let own = peers.first else { throw GatewayError.invalidArgument("a ledger node needs at least one peer identity") }
        self.directory = directory
        self.mspID = own.mspID
        self.chaincodes = try ChaincodeDispatcher(contracts: contracts)
        self.peers = peers
        self.orderer = orderer
        self.durability = durability
        self.network = network
        self.logger = logger
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var opened: [String: ChannelLedger] = [:]
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter(ChannelConfigRules.isValidChannelID)
        for name in names.sorted() {
            opened[name] = try ChannelLedger.open(
                directory: directory.appendingPathComponent(name, isDirectory: true), chaincodes: chaincodes,
                peers: peers, orderer: orderer, observers: observers, durability: durability, network: network, logger: logger)
        }
        self.channels = Mutex(opened)
        (started, startedContinuation) = AsyncStream.makeStream()
        for channel in opened.values { startedContinuation.yield(channel) }
    }

    /// The names of the channels, sorted.
    public var channelIDs: [String] { channels.withLock { $0.keys.sorted() } }

    /// For each channel, whether it takes new transactions now (see `ChannelLedger.acceptsTransactions`).
    var channelsAcceptingTransactions: [String: Bool] {
        channels.withLock { $0.mapValues(\.acceptsTransactions) }
    }

    /// The node's own organisation (`local`, with its revocations) followed by every other
    /// organisation of every channel: who may authenticate to this node at all.
    public func membership(local: Membership) -> Membership {
        let channelOrganizations = channels.withLock { Array($0.values) }.flatMap(\.context.membership.organizations)
        var organizations = local.organizations
        for org in channelOrganizations where !organizations.contains(where: { $0.rootCertificate == org.rootCertificate }) {
            organizations.append(org)
        }
        return Membership(organizations: organizations)
    }

    /// Creates a channel from its genesis configuration. The node's own organisation must be a
    /// member, since its orderer signs the genesis block.
    public func createChannel(_ config: Medledger_V1_ChannelConfig) throws -> Medledger_V1_Block {
        guard network == nil else {
            throw GatewayError.invalidArgument(
                "this node is a peer of a multi-node network: its channels come from a genesis block (Admin.JoinChannel), not CreateChannel")
        }
        try ChannelConfigRules.check(config)
        guard config.sequence == 0 else { throw GatewayError.invalidArgument("config.sequence must be 0 for a new channel") }
        guard config.organizations.contains(where: { $0.mspID == mspID }) else {
            throw GatewayError.invalidArgument("config.organizations must include this node's organisation \(mspID)")
        }
        let channel: ChannelLedger = try channels.withLock { channels in
            guard channels[config.channelID] == nil else {
                throw GatewayError.alreadyExists("channel \(QuotedInput.quote(config.channelID)) already exists")
            }
            let created = try ChannelLedger.create(
                config: config, directory: directory.appendingPathComponent(config.channelID, isDirectory: true),
                chaincodes: chaincodes, peers: peers, orderer: orderer, observers: observers, durability: durability, logger: logger)
            channels[config.channelID] = created
            return created
        }
        startedContinuation.yield(channel)
        logger.info("created channel", metadata: ["channel": "\(config.channelID)", "organizations": "\(config.organizations.map(\.mspID))"])
        return try channel.chain.block(0) ?? .init()
    }

    /// Joins the channel of `genesis` as a peer of the network (see `GenesisAdmission`); it then
    /// pulls the chain from the network's orderers.
    public func joinChannel(_ genesis: Medledger_V1_Block) throws -> Medledger_V1_ChannelInfo {
        guard let network else {
            throw GatewayError.invalidArgument("this node orders its own channels (serve --role both): it creates channels rather than joining them")
        }
        let config = try GenesisAdmission.check(genesis, mspID: mspID, ownRoots: network.ownRoots)
        let channel: ChannelLedger = try channels.withLock { channels in
            guard channels[config.channelID] == nil else {
                throw GatewayError.alreadyExists("this node already joined channel \(QuotedInput.quote(config.channelID))")
            }
            let joined = try ChannelLedger.join(
                genesis: genesis, config: config, directory: directory.appendingPathComponent(config.channelID, isDirectory: true),
                chaincodes: chaincodes, peers: peers, orderer: orderer, observers: observers, durability: durability, network: network,
                logger: logger)
            channels[config.channelID] = joined
            return joined
        }
        startedContinuation.yield(channel)
        logger.info("joined channel", metadata: ["channel": "\(config.channelID)", "orderers": "\(channel.remote?.endpoints ?? [])"])
        return try channel.info()
    }

    /// The channel `id` if `caller`'s organisation is a member; the same refusal whether the
    /// channel is missing or the caller is an outsider, so outsiders learn nothing.
    func channel(_ id: String, for caller: Identity) throws(GatewayError) -> ChannelLedger {
        try channel(id, forMember: caller.mspID)
    }

    /// Every channel this node has joined, in ID order, for the node's own reads.
    func joinedChannels() -> [ChannelLedger] {
        channels.withLock { channels in channels.sorted { $0.key < $1.key }.map(\.value) }
    }

    /// Channel `id` if this node has joined it, for the node's own reads (no caller to check).
    func joinedChannel(_ id: String) -> ChannelLedger? {
        channels.withLock { $0[id] }
    }

    /// Channel `id` if organisation `mspID` is a member of it.
    func channel(_ id: String, forMember mspID: String) throws(GatewayError) -> ChannelLedger {
        guard let channel = channels.withLock({ $0[id] }), channel.context.isMember(mspID) else {
            throw .notMember(channel: id, mspID: mspID)
        }
        return channel
    }

    /// A channel, of those `caller`'s organisation is a member of, that `mspID` is a member of too
    /// (the first by name): where this node finds another organisation's peers.
    func channel(naming mspID: String, for caller: Identity) throws(GatewayError) -> ChannelLedger {
        let all = channels.withLock { channels in channels.sorted { $0.key < $1.key }.map(\.value) }
        let shared = all.first { $0.context.isMember(caller.mspID) && $0.context.isMember(mspID) }
        guard let shared else {
            throw .notFound("\(mspID) is not a member of any channel of \(caller.mspID) on this node")
        }
        return shared
    }

    /// Other organisations' nodes, for records' keys and content; nil on a node that is the whole
    /// network (`dev`).
    func custodianNetwork(content: ContentStore) -> CustodianNetwork? {
        network.map { CustodianNetwork(peers: OrganizationPeers(connections: $0.connections), content: content) }
    }

    /// Runs the committers until cancelled, then stops ordering and lets queued batches commit.
    public func run() async {
        await withTaskCancellationHandler {
            // Committers run unstructured so that cancellation does not cut off batches already
            // accepted; shutting down finishes each orderer queue and they end once it is drained.
            var committers: [Task<Void, Never>] = []
            for await channel in started {
                committers.append(Task { await channel.runCommitter() })
            }
            for committer in committers { await committer.value }
        } onCancel: {
            shutDown()
        }
    }

    /// Stops accepting submissions; each committer finishes the batches already cut and stops.
    public func shutDown() {
        startedContinuation.finish()
        let all = channels.withLock { Array($0.values) }
        for channel in all {
            Task { await channel.stopOrdering() }
        }
        network?.close()
    }
}

extension LedgerNode {
    /// Calls `observer` with every block committed from now on, on every channel (including
    /// channels created later), right after the block is durable and applied. It runs on the
    /// committer's thread: hand real work off. `transactionIDs` are the block's transactions' IDs
    /// (valid or not), `events` the chaincode events of its valid transactions, in order.
    public func onCommit(
        _ observer: @escaping @Sendable (
            _ channel: String, _ block: Medledger_V1_Block, _ transactionIDs: [String], _ events: [Medledger_V1_ChaincodeEvent]
        ) -> Void
    ) {
        observers.add(observer)
    }

    /// Calls `body` with every block committed so far, channel by channel, oldest first.
    public func forEachCommittedBlock(_ body: (_ channel: String, _ block: Medledger_V1_Block) throws -> Void) throws {
        for channel in channels.withLock({ Array($0.values) }) {
            let height = channel.chain.height
            for number in 0..<height {
                guard let block = try channel.chain.block(number) else { continue }
                try body(channel.channelID, block)
            }
        }
    }

    /// The number of committed blocks of `channel` (no membership check: for the node's operator).
    public func channelHeight(_ channel: String) throws -> UInt64 {
        guard let ledger = channels.withLock({ $0[channel] }) else {
            throw GatewayError.notFound("channel \(QuotedInput.quote(channel)) does not exist")
        }
        return ledger.chain.height
    }
}
