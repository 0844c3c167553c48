import CertificateAuthority
import Chaincode
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Identity
import LedgerStore
import Logging
import MedLedgerTesting
import Schema
import Server
import Testing

/// The repository's root directory, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // IntegrationTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

/// A server started in-process on 127.0.0.1 with a port the kernel chose.
struct RunningServer: Sendable {
    let server: MedLedgerServer
    let address: ListeningAddress
    let caCertificatePath: String
    /// The organisation CA the node serves.
    let ca: OrganizationCA
    /// The bootstrap admin's identity folder.
    let admin: IdentityFolder
    /// The node's data directory.
    let dataDirectory: URL
    /// The node's ledger, when the server was started with one.
    let ledger: LedgerNode?
}

/// Runs `body` against a fresh server with its own data directory, then shuts the server down
/// gracefully and waits for it to stop.
/// With `ledger`, the node also runs a `LedgerNode` with the built-in contracts and serves the
/// Gateway, Deliver and Admin services; callers of any channel's organisations can authenticate.
func withRunningServer<Result: Sendable>(
    services: (ServerConfiguration) throws -> [HostedService] = { _ in [] },
    ledger withLedger: Bool = false,
    _ body: (RunningServer) async throws -> Result
) async throws -> Result {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let configuration = ServerConfiguration(dataDirectory: directory.url, port: 0)
    let bootstrap = OrganizationBootstrap(dataDirectory: directory.url)
    let logger = Logger(label: "medledger.tests")
    let (ca, _) = try bootstrap.openOrCreate(logger: logger)
    let identity = NodeTLSIdentity(directory: configuration.tlsDirectory, ca: ca, logger: logger)
    let ledger: LedgerNode? =
        withLedger
        ? try LedgerNode(
            directory: configuration.ledgerDirectory, mspID: ca.mspID, contracts: BuiltInContracts.all,
            peer: try bootstrap.nodeSigner(ca: ca, folder: "peer", enrollmentID: "peer0", role: .peer),
            orderer: try bootstrap.nodeSigner(ca: ca, folder: "orderer", enrollmentID: "orderer0", role: .orderer),
            durability: .normal, logger: logger)
        : nil
    let ledgerServices: [HostedService] = ledger.map { [.gateway(node: $0), .deliver(node: $0), .admin(node: $0)] } ?? []
    let server = try MedLedgerServer(
        configuration: configuration,
        tls: try identity.loadServerTLSMaterial(),
        services: [HostedService(name: "medledger.v1.CertificateAuthority", service: CertificateAuthorityService(ca: ca))]
            + (try services(configuration)) + ledgerServices,
        interceptors: [
            AuthenticationInterceptor(membership: {
                let local = try ca.membership()
                return ledger?.membership(local: local) ?? local
            })
        ]
    )

    return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
        group.addTask { try await server.run() }
        if let ledger { group.addTask { await ledger.run() } }
        do {
            let running = RunningServer(
                server: server,
                address: try await server.listeningAddress,
                caCertificatePath: identity.caCertificatePath,
                ca: ca,
                admin: IdentityFolder(directory: bootstrap.adminDirectory),
                dataDirectory: directory.url,
                ledger: ledger
            )
            let result = try await body(running)
            server.beginGracefulShutdown()
            ledger?.shutDown()
            try await group.waitForAll()
            return result
        } catch {
            group.cancelAll()
            throw error
        }
    }
}

/// Runs `body` with a health client connected over TLS that trusts only the server's dev CA.
func withHealthClient<Result: Sendable>(
    _ running: RunningServer,
    _ body: (Grpc_Health_V1_Health.Client<HTTP2ClientTransport.Posix>) async throws -> Result
) async throws -> Result {
    try await withHealthClient(address: running.address, trusting: running.caCertificatePath, body)
}

/// Runs `body` with a health client connected over TLS to `address`, trusting only `caCertificatePath`.
func withHealthClient<Result: Sendable>(
    address: ListeningAddress,
    trusting caCertificatePath: String,
    _ body: (Grpc_Health_V1_Health.Client<HTTP2ClientTransport.Posix>) async throws -> Result
) async throws -> Result {
    let transport = try HTTP2ClientTransport.Posix(
        target: .ipv4(address: address.host, port: address.port),
        transportSecurity: .tls { tls in
            tls.trustRoots = .certificates([.file(path: caCertificatePath, format: .pem)])
        }
    )
    return try await withGRPCClient(transport: transport) { client in
        try await body(Grpc_Health_V1_Health.Client(wrapping: client))
    }
}

/// Runs `body` with a CA client over TLS trusting the org root, presenting `identity`'s certificate
/// (mTLS) when given.
func withCAClient<Result: Sendable>(
    _ running: RunningServer,
    identity: IdentityFolder? = nil,
    _ body: (Medledger_V1_CertificateAuthority.Client<HTTP2ClientTransport.Posix>) async throws -> Result
) async throws -> Result {
    let transport = try HTTP2ClientTransport.Posix(
        target: .ipv4(address: running.address.host, port: running.address.port),
        transportSecurity: .tls { tls in
            tls.trustRoots = .certificates([.file(path: running.caCertificatePath, format: .pem)])
            if let identity {
                tls.certificateChain = [.file(path: identity.certificatePath, format: .pem)]
                tls.privateKey = .file(path: identity.keyPath, format: .pem)
            }
        }
    )
    return try await withGRPCClient(transport: transport) { client in
        try await body(Medledger_V1_CertificateAuthority.Client(wrapping: client))
    }
}

func healthRequest(_ service: String) -> Grpc_Health_V1_HealthCheckRequest {
    var request = Grpc_Health_V1_HealthCheckRequest()
    request.service = service
    return request
}

/// Fails the current test, naming what to install, unless `command` runs successfully.
func requireTool(_ command: [String], install hint: String) async throws {
    let probe = try await runProcess(command, timeout: .seconds(30))
    try #require(
        probe.status == 0,
        "'\(command.joined(separator: " "))' failed — install it (\(hint)); CI's .ci/run does.\n\(probe.summary)"
    )
}

/// Generates Python grpcio stubs for `protos` (paths under `proto/`) into a fresh directory,
/// failing the test (with what to install) if Python's grpc tooling is missing.
func generatePythonStubs(_ protos: [String], extraModules: [String] = []) async throws -> TemporaryDirectory {
    try await PythonStubs.generate(protos, protoRoot: repositoryRoot.appendingPathComponent("proto"), extraModules: extraModules)
}
