public import Foundation
internal import GRPCCore
internal import GRPCNIOTransportHTTP2
internal import Synchronization
internal import X509
internal import SwiftASN1

/// How this node identifies itself to other nodes: its TLS certificate and key (issued by its
/// organisation's CA with client authentication), read from its `tls/` directory at each new
/// connection so that renewals apply.
public struct NodeClientIdentity: Sendable {
    public var certificatePath: String
    public var keyPath: String

    public init(certificatePath: String, keyPath: String) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }

    /// The identity in a node's TLS directory.
    public init(tlsDirectory: URL) {
        self.init(
            certificatePath: tlsDirectory.appendingPathComponent("server.pem").path,
            keyPath: tlsDirectory.appendingPathComponent("server-key.pem").path)
    }
}

/// gRPC clients from this node to other nodes (orderers, other organisations' peers) over mTLS,
/// one per endpoint and trust set, opened on first use and kept until `close()`.
final class NodeConnections: Sendable {
    private let identity: NodeClientIdentity
    private let clients = Mutex<[String: (client: GRPCClient<HTTP2ClientTransport.Posix>, task: Task<Void, Never>)]>([:])

    init(identity: NodeClientIdentity) {
        self.identity = identity
    }

    /// The client for `endpoint` (HOST:PORT), trusting `roots` (DER) for its server certificate.
    func client(_ endpoint: String, trusting roots: [Data]) throws -> GRPCClient<HTTP2ClientTransport.Posix> {
        let key = endpoint + "|" + roots.map { $0.base64EncodedString().suffix(16) }.joined(separator: ",")
        if let existing = clients.withLock({ $0[key]?.client }) { return existing }
        guard let colon = endpoint.lastIndex(of: ":"), let port = Int(endpoint[endpoint.index(after: colon)...]) else {
            throw GatewayError.invalidArgument("endpoint \(endpoint) is not HOST:PORT")
        }
        let host = String(endpoint[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let pems = try roots.map { try Certificate(derEncoded: Array($0)).serializeAsPEM().pemString }
        let identity = identity
        let transport = try HTTP2ClientTransport.Posix(
            target: Self.target(host: host, port: port),
            transportSecurity: .tls { tls in
                tls.trustRoots = .certificates(pems.map { .bytes(Array($0.utf8), format: .pem) })
                tls.certificateChain = [.file(path: identity.certificatePath, format: .pem)]
                tls.privateKey = .file(path: identity.keyPath, format: .pem)
            },
            config: .defaults { config in
                config.backoff = .init(initial: .milliseconds(100), max: .seconds(2), multiplier: 1.6, jitter: 0.2)
                // A stopped (not dead) peer keeps its TCP connection open: pings find it out.
                config.connection.keepalive = .init(time: .seconds(10), timeout: .seconds(3), allowWithoutCalls: true)
            }
        )
        let client = GRPCClient(transport: transport)
        return clients.withLock { clients in
            if let existing = clients[key] { return existing.client }
            let task = Task<Void, Never> { _ = try? await client.runConnections() }
            clients[key] = (client, task)
            return client
        }
    }

    /// Closes every connection.
    func close() {
        let all = clients.withLock { clients in
            defer { clients = [:] }
            return Array(clients.values)
        }
        for (client, _) in all { client.beginGracefulShutdown() }
    }

    private static func target(host: String, port: Int) -> any ResolvableTarget {
        if host.contains(":") { return .ipv6(address: host, port: port) }
        if host.split(separator: ".").count == 4, host.allSatisfy({ $0.isNumber || $0 == "." }) { return .ipv4(address: host, port: port) }
        return .dns(host: host, port: port)
    }
}
