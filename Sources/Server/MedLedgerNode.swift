public import Foundation
public import Identity
public import CertificateAuthority
public import LedgerStore
public import Logging
internal import Chaincode
internal import ContentStore
internal import Schema

/// An organisation whose CA and peer a node hosts.
public struct HostedOrganization: Sendable {
    public let ca: OrganizationCA
    /// The organisation's peer identity: it endorses, and data keys are wrapped to it.
    public let peer: RequestSigner

    public init(ca: OrganizationCA, peer: RequestSigner) {
        self.ca = ca
        self.peer = peer
    }
}

/// A complete node assembled from one data directory: the organisation CA (created with a
/// bootstrap admin on first start), the node's TLS certificate (renewed while running), the
/// content store, the ledger with the built-in contracts, and the gRPC server with every service
/// behind mTLS authentication. `medledger serve`, the benchmarks and the tests all start nodes
/// this way.
public struct MedLedgerNode: Sendable {
    public let configuration: ServerConfiguration
    /// The node's own organisation's CA: it issues the node's TLS certificate and runs the orderer.
    public let ca: OrganizationCA
    /// Every organisation CA the node hosts, its own first.
    public let authorities: [OrganizationCA]
    public let ledger: LedgerNode
    public let server: MedLedgerServer
    /// What the node counts; rendered by `metricsEndpoint`.
    public let metrics: NodeMetrics
    /// `GET /metrics` on 127.0.0.1, when `configuration.metricsPort` is set.
    public let metricsEndpoint: MetricsEndpoint?
    /// FHIR Bulk Data export and the SMART token endpoint over HTTPS, when `configuration.httpsPort` is set.
    public let fhirEndpoint: FHIREndpoint?
    /// Shreds the keys and content of records the ledger marks erased.
    let erasures: ErasureEnforcer
    /// Removes what uploads abandoned before their `AddRecord` committed left behind.
    let uploads: UploadCollector
    let logger: Logger
    /// Held while this node is open: one node per data directory.
    let lock: DataDirectoryLock
    /// Where the bootstrap admin's identity folder is.
    public let adminDirectory: URL
    /// True if this start created the CA and the admin.
    public let createdAdmin: Bool
    /// The root clients trust for this node's TLS certificate.
    public let caCertificatePath: String

    /// A node of one organisation, `mspID`, created under the data directory on first start. As a
    /// peer of a multi-node network (`peerOfNetwork`) it joins channels and leaves ordering to the
    /// network's orderers; otherwise it orders its own channels.
    public init(
        configuration: ServerConfiguration, mspID: String, durability: Durability = .full, peerOfNetwork: Bool = false,
        logger: Logger = Logger(label: "medledger")
    ) throws {
        let lock = try DataDirectoryLock(directory: configuration.dataDirectory)
        let bootstrap = OrganizationBootstrap(dataDirectory: configuration.dataDirectory, mspID: mspID)
        let (ca, createdAdmin) = try bootstrap.openOrCreate(logger: logger)
        try self.init(
            configuration: configuration,
            organizations: [
                HostedOrganization(ca: ca, peer: try bootstrap.nodeSigner(ca: ca, folder: "peer", enrollmentID: "peer0", role: .peer))
            ],
            orderer: try bootstrap.nodeSigner(ca: ca, folder: "orderer", enrollmentID: "orderer0", role: .orderer),
            adminDirectory: bootstrap.adminDirectory, createdAdmin: createdAdmin != nil, lock: lock, durability: durability,
            network: peerOfNetwork
                ? PeerNetworking(identity: NodeClientIdentity(tlsDirectory: configuration.tlsDirectory), ownRoots: [ca.authority.rootCertificate])
                : nil,
            logger: logger)
    }

    /// A node hosting the CAs and peers of `organizations` (its own first, whose CA issues the TLS
    /// certificate and whose `orderer` signs blocks), sharing one ledger and content store. `lock`
    /// is the data directory's, taken before anything in it was read or created.
    public init(
        configuration: ServerConfiguration, organizations: [HostedOrganization], orderer: RequestSigner,
        adminDirectory: URL, createdAdmin: Bool, lock: DataDirectoryLock, durability: Durability = .full,
        network: PeerNetworking? = nil, logger: Logger = Logger(label: "medledger")
    ) throws {
        guard let own = organizations.first else { throw GatewayError.invalidArgument("a node hosts at least one organisation") }
        self.lock = lock
        let authorities = organizations.map(\.ca)
        for ca in authorities { ExpiryWatch.check(ca: ca, logger: logger) }
        let identity = NodeTLSIdentity(directory: configuration.tlsDirectory, ca: own.ca, hostnames: configuration.hostnames, logger: logger)
        let content = try ContentStore(directory: configuration.contentDirectory)
        let keys = try WrappedKeyStore(root: configuration.keysDirectory)
        let leases = try UploadLeases(
            path: configuration.keysDirectory.appendingPathComponent("upload-leases.json").path, grace: configuration.uploadGrace)
        let ledger = try LedgerNode(
            directory: configuration.ledgerDirectory,
            peers: organizations.map { HostedPeer(mspID: $0.ca.mspID, signer: $0.peer) },
            contracts: BuiltInContracts.all,
            orderer: orderer,
            durability: durability,
            network: network,
            logger: logger
        )
        let exporter = StudyExporter(
            node: ledger, content: content, keys: keys, salts: configuration.keysDirectory.appendingPathComponent("study-salts"))
        let metrics = NodeMetrics()
        ledger.onCommit { channel, block, transactionIDs, _ in metrics.committed(block, transactionIDs: transactionIDs, channel: channel) }
        self.server = try MedLedgerServer(
            configuration: configuration,
            tls: try identity.loadServerTLSMaterial(),
            renewingTLS: identity,
            services: [
                HostedService(name: "medledger.v1.CertificateAuthority", service: CertificateAuthorityService(authorities: authorities)),
                .content(store: content, leases: leases),
                .gateway(node: ledger),
                .deliver(node: ledger),
                .admin(node: ledger),
                .records(node: ledger, content: content, keys: keys, leases: leases),
                .research(exporter: exporter),
            ],
            interceptors: [
                MetricsInterceptor(metrics: metrics),
                AuthenticationInterceptor(membership: {
                    ledger.membership(local: Membership(organizations: try authorities.flatMap { try $0.membership().organizations }))
                }),
                StreamQuota(),
            ],
            logger: logger
        )
        self.metrics = metrics
        self.metricsEndpoint = try configuration.metricsPort.map { try MetricsEndpoint(metrics: metrics, port: $0) }
        self.fhirEndpoint = try configuration.httpsPort.map { port in
            try FHIREndpoint(
                configuration: FHIREndpoint.Configuration(
                    host: configuration.host, port: port, hostnames: configuration.hostnames, retention: configuration.exportRetention),
                exporter: exporter,
                certificate: try HTTPSCertificate(certificatePath: identity.serverCertificatePath, keyPath: identity.serverKeyPath),
                dataDirectory: configuration.fhirDirectory, logger: logger)
        }
        self.erasures = ErasureEnforcer(node: ledger, content: content, keys: keys, logger: logger)
        self.uploads = UploadCollector(node: ledger, content: content, keys: keys, leases: leases, logger: logger)
        self.logger = logger
        self.configuration = configuration
        self.ca = own.ca
        self.authorities = authorities
        self.ledger = ledger
        self.adminDirectory = adminDirectory
        self.createdAdmin = createdAdmin
        self.caCertificatePath = identity.caCertificatePath
    }

    /// Collects now what abandoned uploads whose lease ended before `now` left (the node does this
    /// by itself every minute or so); returns how many leases ended with a committed record and how
    /// many uploads were collected.
    @discardableResult
    public func collectAbandonedUploads(asOf now: Date = Date()) -> (kept: Int, collected: Int) {
        let pass = uploads.collect(now: now)
        return (pass.kept, pass.collected)
    }

    /// Serves until `server.beginGracefulShutdown()` (or the task is cancelled); then stops
    /// ordering and lets the committers finish the blocks already cut.
    public func run() async throws {
        try await serve { try await server.run() }
    }

    /// Like `run()`, but until SIGTERM or SIGINT.
    public func runUntilTerminated() async throws {
        try await serve { try await server.runUntilTerminated() }
    }

    /// Runs the ledger, the erasure enforcer, the collector of abandoned uploads and the daily certificate-expiry check beside
    /// `serving` (the gRPC server), and closes the rest when it returns.
    private func serve(_ serving: @escaping @Sendable () async throws -> Void) async throws {
        let enforcing = Task { await erasures.run() }
        let collecting = Task { [uploads] in
            await uploads.run(every: .milliseconds(Int64(min(60, max(0.25, uploads.leases.grace / 4)) * 1000)))
        }
        let watching = Task { await ExpiryWatch.watch(authorities, logger: logger) }
        let reporting = Task { [ledger, server] in await ChannelHealth.report(ledger, on: server.health) }
        defer {
            enforcing.cancel()
            collecting.cancel()
            watching.cancel()
            reporting.cancel()
        }
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask {
                try await serving()
                ledger.shutDown()
                await fhirEndpoint?.stop()
                await metricsEndpoint?.close()
            }
            tasks.addTask { await ledger.run() }
            if let fhirEndpoint {
                tasks.addTask { try await fhirEndpoint.run() }
            }
        }
    }
}
