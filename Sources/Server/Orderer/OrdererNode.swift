public import CertificateAuthority
internal import Crypto
public import Foundation
public import Identity
internal import LedgerCore
public import Logging
public import Ordering
public import Schema
internal import SwiftASN1
internal import Synchronization
internal import X509

/// An orderer node (`medledger serve --role orderer`): for every channel it joined it keeps its
/// own chain of ordered blocks, follows and leads through the etcd cluster
/// (`EtcdChannelOrderer`), takes peers' transactions (`medledger.v1.Orderer/Broadcast`) and
/// serves its chain to peers (`medledger.v1.Deliver`). It hosts no CA: its signing identity
/// (`orderer/`) and TLS certificate (`tls/`) are issued by its organisation's CA beforehand
/// (`OrdererNode.provision`).
public final class OrdererNode: Sendable {
    public let configuration: ServerConfiguration
    public let mspID: String
    public let server: MedLedgerServer
    /// What the orderer counts; rendered by `metricsEndpoint`.
    public let metrics: NodeMetrics
    /// `GET /metrics` on 127.0.0.1, when `configuration.metricsPort` is set.
    public let metricsEndpoint: MetricsEndpoint?
    /// The address peers reach this orderer at, published to the other orderers when it leads.
    public let advertisedAddress: String
    /// The channels it joined.
    public let channels: OrdererChannels
    private let signer: RequestSigner
    private let etcd: EtcdConfiguration
    private let settings: EtcdChannelOrderer.Settings
    /// Connections to the other orderers, to catch up from when behind etcd's window.
    private let connections: NodeConnections
    private let logger: Logger
    private let lock: DataDirectoryLock

    /// Where an orderer's signing identity lives in its data directory.
    public static func identityFolder(in dataDirectory: URL) -> IdentityFolder {
        IdentityFolder(directory: dataDirectory.appendingPathComponent("orderer", isDirectory: true))
    }

    /// Issues an orderer's signing identity (role orderer) and TLS certificate (naming `hostnames`
    /// and loopback) from its organisation's CA into `dataDirectory`; existing files are kept.
    public static func provision(dataDirectory: URL, ca: OrganizationCA, enrollmentID: String, hostnames: [String]) throws {
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let identity = identityFolder(in: dataDirectory)
        if !FileManager.default.fileExists(atPath: identity.keyPath) {
            let (signer, certificate) = try ca.enrollSigner(enrollmentID: enrollmentID, role: .orderer)
            try identity.save(key: signer.key, certificate: certificate, caCertificate: ca.authority.rootCertificate)
        }
        let configuration = ServerConfiguration(dataDirectory: dataDirectory, hostnames: hostnames)
        let tls = NodeTLSIdentity(directory: configuration.tlsDirectory, ca: ca, nodeName: enrollmentID, hostnames: hostnames)
        _ = try tls.loadServerTLSMaterial()
    }

    /// Opens the orderer in `configuration.dataDirectory` (provisioned beforehand) with the
    /// channels it joined; `run()` connects to etcd and serves.
    public init(
        configuration: ServerConfiguration, etcd: EtcdConfiguration, advertisedAddress: String,
        settings: EtcdChannelOrderer.Settings = .init(), logger: Logger = Logger(label: "medledger.orderer")
    ) throws {
        lock = try DataDirectoryLock(directory: configuration.dataDirectory)
        let identity = Self.identityFolder(in: configuration.dataDirectory)
        guard FileManager.default.fileExists(atPath: identity.keyPath) else {
            throw GatewayError.invalidArgument(
                "\(configuration.dataDirectory.path) holds no orderer identity (orderer/): provision it with its organisation's CA first")
        }
        signer = try identity.loadSigner()
        let ownRoot = try identity.loadCACertificate()
        let channels = try OrdererChannels(
            directory: configuration.dataDirectory.appendingPathComponent("channels", isDirectory: true), ownRoot: ownRoot, logger: logger)
        self.channels = channels
        mspID = channels.mspID
        self.configuration = configuration
        self.etcd = etcd
        self.settings = settings
        self.connections = NodeConnections(identity: NodeClientIdentity(tlsDirectory: configuration.tlsDirectory))
        self.advertisedAddress = advertisedAddress
        self.logger = logger

        let metrics = NodeMetrics()
        self.metrics = metrics
        let tlsDirectory = configuration.tlsDirectory
        let material = ServerTLSMaterial(
            certificateChainPEM: [try String(contentsOf: tlsDirectory.appendingPathComponent("server.pem"), encoding: .utf8)],
            privateKeyPEM: try String(contentsOf: tlsDirectory.appendingPathComponent("server-key.pem"), encoding: .utf8),
            trustRootPEM: try String(contentsOf: tlsDirectory.appendingPathComponent("ca.pem"), encoding: .utf8))
        server = try MedLedgerServer(
            configuration: configuration, tls: material,
            services: [
                HostedService(name: OrdererService.serviceName, service: OrdererService(channels: channels, metrics: metrics)),
                HostedService(name: DeliverService.serviceName, service: DeliverService { id, caller in try channels.chain(id, for: caller) }),
                HostedService(name: AdminService.serviceName, service: OrdererAdminService(channels: channels)),
            ],
            interceptors: [MetricsInterceptor(metrics: metrics), AuthenticationInterceptor(table: .orderer, membership: { channels.membership() })],
            logger: logger)
        metricsEndpoint = try configuration.metricsPort.map { try MetricsEndpoint(metrics: metrics, port: $0) }
    }

    /// Connects to etcd and serves until `server.beginGracefulShutdown()` or cancellation.
    public func run() async throws {
        try await run { try await self.server.run() }
    }

    /// Like `run()`, but until SIGTERM or SIGINT.
    public func runUntilTerminated() async throws {
        try await run { try await self.server.runUntilTerminated() }
    }

    private func run(serving serve: @escaping @Sendable () async throws -> Void) async throws {
        try await EtcdConnection.with(etcd) { connection in
            try await withThrowingDiscardingTaskGroup { tasks in
                tasks.addTask {
                    try await serve()
                    self.channels.finish()
                    await self.metricsEndpoint?.close()
                }
                for await chain in channels.joined {
                    let source = OrdererDeliverSource(chain: chain, ownAddress: advertisedAddress, connections: connections, logger: logger)
                    let orderer = EtcdChannelOrderer(
                        chain: chain, etcd: connection, signer: signer, address: advertisedAddress, settings: settings, catchUp: source,
                        logger: logger)
                    channels.started(orderer)
                    tasks.addTask {
                        do { try await orderer.run() } catch is CancellationError {}
                    }
                }
                // The server stopped: stop ordering too.
                tasks.cancelAll()
                connections.close()
            }
        }
    }
}

/// The channels an orderer joined: their chains, their running channel orderers once etcd is
/// connected, and who may connect.
public final class OrdererChannels: Sendable {
    /// The orderer's own organisation.
    public let mspID: String
    private let directory: URL
    private let ownRoot: Certificate
    private let logger: Logger
    private let chains: Mutex<[String: OrdererChain]>
    private let orderers = Mutex<[String: EtcdChannelOrderer]>([:])
    /// Every chain opened or joined, for the node to start its channel orderer.
    let joined: AsyncStream<OrdererChain>
    private let joinedContinuation: AsyncStream<OrdererChain>.Continuation

    init(directory: URL, ownRoot: Certificate, logger: Logger) throws {
        self.directory = directory
        self.ownRoot = ownRoot
        self.logger = logger
        mspID = Membership.values(of: .RDNAttributeType.organizationName, in: ownRoot.subject).first ?? ""
        var opened: [String: OrdererChain] = [:]
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).filter(ChannelConfigRules.isValidChannelID) {
            opened[name] = try OrdererChain(directory: directory.appendingPathComponent(name, isDirectory: true))
        }
        chains = Mutex(opened)
        (joined, joinedContinuation) = AsyncStream.makeStream()
        for chain in opened.values { joinedContinuation.yield(chain) }
    }

    func started(_ orderer: EtcdChannelOrderer) {
        orderers.withLock { $0[orderer.chain.channelID] = orderer }
    }

    func finish() {
        joinedContinuation.finish()
    }

    /// The channels served, sorted.
    public var channelIDs: [String] { chains.withLock { $0.keys.sorted() } }

    /// Joins the channel whose genesis block is `genesis` (see `GenesisAdmission`).
    func join(_ genesis: Medledger_V1_Block) throws -> OrdererChain {
        let config = try GenesisAdmission.check(genesis, mspID: mspID, ownRoots: [ownRoot])
        let chain: OrdererChain = try chains.withLock { chains in
            guard chains[config.channelID] == nil else {
                throw GatewayError.alreadyExists("this orderer already serves channel \(config.channelID)")
            }
            let chain = try OrdererChain(directory: directory.appendingPathComponent(config.channelID, isDirectory: true), genesis: genesis)
            chains[config.channelID] = chain
            return chain
        }
        joinedContinuation.yield(chain)
        logger.info("joined channel", metadata: ["channel": "\(config.channelID)"])
        return chain
    }

    /// The chain of `channelID` if `caller`'s organisation is a member (same refusal otherwise).
    func chain(_ channelID: String, for caller: Identity) throws(GatewayError) -> OrdererChain {
        guard let chain = chains.withLock({ $0[channelID] }), chain.context.isMember(caller.mspID) else {
            throw .notMember(channel: channelID, mspID: caller.mspID)
        }
        return chain
    }

    /// The channel orderer of `channelID` for `caller`.
    func orderer(_ channelID: String, for caller: Identity) throws(GatewayError) -> EtcdChannelOrderer {
        _ = try chain(channelID, for: caller)
        guard let orderer = orderers.withLock({ $0[channelID] }) else {
            throw .unavailable("the orderer of channel \(channelID) is starting")
        }
        return orderer
    }

    /// Who may connect: this orderer's organisation and every member of every channel it serves.
    func membership() -> Membership {
        var organizations = [Membership.Organization(mspID: mspID, rootCertificate: ownRoot, revokedSerials: [])]
        for chain in chains.withLock({ Array($0.values) }) {
            for org in chain.context.membership.organizations where !organizations.contains(where: { $0.rootCertificate == org.rootCertificate }) {
                organizations.append(org)
            }
            // The channel's CRLs apply to this orderer's own organisation too.
            for (index, org) in organizations.enumerated() {
                if let listed = chain.context.membership.organizations.first(where: { $0.rootCertificate == org.rootCertificate }) {
                    organizations[index] = listed
                }
            }
        }
        return Membership(organizations: organizations)
    }
}
