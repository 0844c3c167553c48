internal import Crypto
internal import Dispatch
public import Foundation
public import GRPCCore
public import GRPCNIOTransportHTTP2
public import Identity
internal import LedgerStore
internal import Logging
public import MedLedgerKit
public import Server
internal import SwiftASN1
public import X509

/// A running development network (`medledger dev`'s node, in process, on a free loopback port)
/// and its demo identities: the network a test of MedLedger, or of an application built on it,
/// runs against.
public struct RunningDevNetwork: Sendable {
    public let network: DevNetwork
    public let node: MedLedgerNode
    public let address: ListeningAddress
    /// True if this start created the network (false when it reused a data directory).
    public let created: Bool

    /// The demo identity `name` (e.g. "dr-alice") as a test user.
    public func user(_ name: String) throws -> TestUser {
        try TestUser(folder: network.identity(name))
    }

    /// Runs `body` with a client connected over mTLS as the demo identity `name`.
    public func withClient<Result: Sendable>(
        as name: String, _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        try await MedLedgerTesting.withClient(address: address, trusting: network.identity(name).tlsTrustPath, as: try user(name), body)
    }

    /// Runs `body` with the Gateway SDK acting as the demo identity `name` on `channel`, every
    /// call bounded by `timeout`.
    public func ledger<Result: Sendable>(
        as name: String, channel: String = "ehr", timeout: Duration = .seconds(30),
        _ body: (LedgerGateway<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        let user = try user(name)
        return try await withClient(as: name) { client in
            try await body(LedgerGateway(client: client, signer: user.signer, channel: channel, options: callOptions(timeout: timeout)))
        }
    }

    /// Runs `body` with the health-record SDK acting as the demo identity `name` on `channel`.
    @discardableResult
    public func records<Result: Sendable>(
        as name: String, channel: String = "ehr", _ body: (HealthRecords<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        let user = try user(name)
        return try await withClient(as: name) { client in
            try await body(HealthRecords(client: client, signer: user.signer, channel: channel, options: callOptions(timeout: .seconds(30))))
        }
    }
}

/// Opens the development network under `directory` on a free loopback port, runs `body`, then
/// shuts the node down gracefully. With `metricsPort` it serves Prometheus metrics too, with
/// `httpsPort` FHIR Bulk Data export (0: a free port); `uploadGrace` is how long an upload may
/// stay unreferenced by a committed record before the node collects it.
public func withDevNetwork<Result: Sendable>(
    in directory: URL, metricsPort: Int? = nil, httpsPort: Int? = nil, uploadGrace: TimeInterval = 3600,
    _ body: (RunningDevNetwork) async throws -> Result
) async throws -> Result {
    let network = DevNetwork(dataDirectory: directory)
    // Creating four CAs, their first identities and the channels is seconds of synchronous work:
    // on a Dispatch thread, so that the two threads of the cooperative pool keep serving the
    // in-process nodes of the tests running beside it.
    let (node, created) = try await onDispatchThread {
        try network.openNode(
            configuration: ServerConfiguration(
                dataDirectory: directory, port: 0, metricsPort: metricsPort, httpsPort: httpsPort, uploadGrace: uploadGrace),
            durability: .normal,
            logger: Logger(label: "medledger.tests.dev"))
    }
    return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
        group.addTask { try await node.run() }
        do {
            let running = RunningDevNetwork(
                network: network, node: node, address: try await node.server.listeningAddress, created: created)
            let result = try await body(running)
            node.server.beginGracefulShutdown()
            try await group.waitForAll()
            return result
        } catch {
            group.cancelAll()
            throw error
        }
    }
}

/// Runs blocking `work` on a Dispatch thread, off Swift's cooperative pool.
func onDispatchThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}

/// An identity a test acts as: its signer and certificate.
public struct TestUser: Sendable {
    public let signer: RequestSigner
    public let certificate: Certificate

    public init(signer: RequestSigner, certificate: Certificate) {
        self.signer = signer
        self.certificate = certificate
    }

    /// A node's own TLS identity (role peer), as other nodes present it when they call: the
    /// `server.pem` and `server-key.pem` of its `tls` directory.
    public static func node(tlsDirectory tls: URL) throws -> TestUser {
        let certificate = try Certificate(pemEncoded: String(contentsOf: tls.appendingPathComponent("server.pem"), encoding: .utf8))
        let key = try P256.Signing.PrivateKey(pemRepresentation: String(contentsOf: tls.appendingPathComponent("server-key.pem"), encoding: .utf8))
        return TestUser(signer: RequestSigner(key: key, certificateDER: Data(try certificate.derBytes)), certificate: certificate)
    }

    /// The identity kept in `folder` (`cert.pem`, `key.pem`).
    public init(folder: IdentityFolder) throws {
        certificate = try folder.loadCertificate()
        signer = RequestSigner(key: try folder.loadKey(), certificateDER: Data(try certificate.derBytes))
    }
}

/// Runs `body` with a client connected over mTLS to `address` as `user`, trusting only
/// `caCertificatePath`.
public func withClient<Result: Sendable>(
    address: ListeningAddress, trusting caCertificatePath: String, as user: TestUser,
    _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result
) async throws -> Result {
    let certificatePEM = try user.certificate.serializeAsPEM().pemString
    let keyPEM = user.signer.key.pemRepresentation
    let transport = try HTTP2ClientTransport.Posix(
        target: .ipv4(address: address.host, port: address.port),
        transportSecurity: .tls { tls in
            tls.trustRoots = .certificates([.file(path: caCertificatePath, format: .pem)])
            tls.certificateChain = [.bytes(Array(certificatePEM.utf8), format: .pem)]
            tls.privateKey = .bytes(Array(keyPEM.utf8), format: .pem)
        }
    )
    return try await withGRPCClient(transport: transport) { client in try await body(client) }
}

/// Deadlines for every call a test makes, so that a broken server fails a test instead of
/// hanging it. 90 s by default: on a loaded two-core machine a first call's TLS handshake has
/// been seen to take over 10 s, and with 130 suites starting at once (several of them running
/// node processes, a soak and Python clients) calls to freshly started `serve` processes have
/// passed 30 s in CI while each takes seconds alone; suite time limits still bound a real hang.
public func callOptions(timeout: Duration = .seconds(180)) -> CallOptions {
    var options = CallOptions.defaults
    options.timeout = timeout
    return options
}
