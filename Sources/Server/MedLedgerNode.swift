public import Foundation
public import Identity
public import LedgerStore
public import Logging
internal import Chaincode
internal import ContentStore
internal import Schema

/// A complete node assembled from one data directory: the organisation CA (created with a
/// bootstrap admin on first start), the node's TLS certificate (renewed while running), the
/// content store, the ledger with the built-in contracts, and the gRPC server with every service
/// behind mTLS authentication. `medledger serve`, the benchmarks and the tests all start nodes
/// this way.
public struct MedLedgerNode: Sendable {
    public let configuration: ServerConfiguration
    public let ca: OrganizationCA
    public let ledger: LedgerNode
    public let server: MedLedgerServer
    /// Where the bootstrap admin's identity folder is.
    public let adminDirectory: URL
    /// True if this start created the CA and the admin.
    public let createdAdmin: Bool
    /// The root clients trust for this node's TLS certificate.
    public let caCertificatePath: String

    public init(
        configuration: ServerConfiguration, mspID: String, durability: Durability = .full,
        logger: Logger = Logger(label: "medledger")
    ) throws {
        let bootstrap = OrganizationBootstrap(dataDirectory: configuration.dataDirectory, mspID: mspID)
        let (ca, createdAdmin) = try bootstrap.openOrCreate(logger: logger)
        ExpiryWatch.check(ca: ca, logger: logger)
        let identity = NodeTLSIdentity(directory: configuration.tlsDirectory, ca: ca, hostnames: configuration.hostnames, logger: logger)
        let content = try ContentStore(directory: configuration.contentDirectory)
        let ledger = try LedgerNode(
            directory: configuration.ledgerDirectory,
            mspID: ca.mspID,
            contracts: BuiltInContracts.all,
            peer: try bootstrap.nodeSigner(ca: ca, folder: "peer", enrollmentID: "peer0", role: .peer),
            orderer: try bootstrap.nodeSigner(ca: ca, folder: "orderer", enrollmentID: "orderer0", role: .orderer),
            durability: durability,
            logger: logger
        )
        self.server = try MedLedgerServer(
            configuration: configuration,
            tls: try identity.loadServerTLSMaterial(),
            renewingTLS: identity,
            services: [
                HostedService(name: "medledger.v1.CertificateAuthority", service: CertificateAuthorityService(ca: ca)),
                .content(store: content),
                .gateway(node: ledger),
                .deliver(node: ledger),
                .admin(node: ledger),
            ],
            interceptors: [AuthenticationInterceptor(membership: { ledger.membership(local: try ca.membership()) })],
            logger: logger
        )
        self.configuration = configuration
        self.ca = ca
        self.ledger = ledger
        self.adminDirectory = bootstrap.adminDirectory
        self.createdAdmin = createdAdmin != nil
        self.caCertificatePath = identity.caCertificatePath
    }

    /// Serves until `server.beginGracefulShutdown()` (or the task is cancelled); then stops
    /// ordering and lets the committers finish the blocks already cut.
    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask {
                try await server.run()
                ledger.shutDown()
            }
            tasks.addTask { await ledger.run() }
        }
    }

    /// Like `run()`, but until SIGTERM or SIGINT.
    public func runUntilTerminated() async throws {
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask {
                try await server.runUntilTerminated()
                ledger.shutDown()
            }
            tasks.addTask { await ledger.run() }
        }
    }
}
