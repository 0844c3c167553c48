public import Foundation
public import GRPCCore
public import GRPCNIOTransportHTTP2
internal import Synchronization

/// How an orderer reaches the etcd cluster: every member's client endpoint (`127.0.0.1:2379`),
/// the ordering CA that signs the members' certificates, and the orderer's client certificate
/// and key (etcd runs with `--client-cert-auth`).
public struct EtcdConfiguration: Sendable {
    public var endpoints: [String]
    public var trustRootPath: String
    public var certificatePath: String
    public var keyPath: String
    /// How long one call may take before it is abandoned and the next member tried.
    public var callTimeout: Duration

    public init(endpoints: [String], trustRootPath: String, certificatePath: String, keyPath: String, callTimeout: Duration = .seconds(2)) {
        self.endpoints = endpoints
        self.trustRootPath = trustRootPath
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.callTimeout = callTimeout
    }
}

/// gRPC clients to every etcd member over mTLS. A call goes to the member that answered last; if
/// that member is unreachable the next one is tried, so a cluster with a quorum keeps serving
/// while any single member is down. When no member answers, the call fails with UNAVAILABLE
/// naming every endpoint tried.
public final class EtcdConnection: Sendable {
    let configuration: EtcdConfiguration
    private let clients: [GRPCClient<HTTP2ClientTransport.Posix>]
    private let current = Mutex(0)

    private init(configuration: EtcdConfiguration, clients: [GRPCClient<HTTP2ClientTransport.Posix>]) {
        self.configuration = configuration
        self.clients = clients
    }

    /// Runs `body` with connections to every member, closing them when `body` returns.
    public static func with<Result: Sendable>(
        _ configuration: EtcdConfiguration, _ body: (EtcdConnection) async throws -> Result
    ) async throws -> Result {
        guard !configuration.endpoints.isEmpty else { throw RPCError(code: .invalidArgument, message: "no etcd endpoints are configured") }
        var clients: [GRPCClient<HTTP2ClientTransport.Posix>] = []
        for endpoint in configuration.endpoints {
            guard let colon = endpoint.lastIndex(of: ":"), let port = Int(endpoint[endpoint.index(after: colon)...]) else {
                throw RPCError(code: .invalidArgument, message: "etcd endpoint \(endpoint) is not HOST:PORT")
            }
            let host = String(endpoint[..<colon])
            let transport = try HTTP2ClientTransport.Posix(
                target: .ipv4(address: host, port: port),
                transportSecurity: .tls { tls in
                    tls.trustRoots = .certificates([.file(path: configuration.trustRootPath, format: .pem)])
                    tls.certificateChain = [.file(path: configuration.certificatePath, format: .pem)]
                    tls.privateKey = .file(path: configuration.keyPath, format: .pem)
                },
                config: .defaults { config in
                    config.backoff = .init(initial: .milliseconds(100), max: .seconds(1), multiplier: 1.6, jitter: 0.2)
                    // A stopped (not dead) member keeps its TCP connection open: pings find it out.
                    config.connection.keepalive = .init(time: .seconds(10), timeout: .seconds(3), allowWithoutCalls: true)
                }
            )
            clients.append(GRPCClient(transport: transport))
        }
        let connection = EtcdConnection(configuration: configuration, clients: clients)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for client in clients {
                group.addTask { try await client.runConnections() }
            }
            defer {
                for client in clients { client.beginGracefulShutdown() }
            }
            return try await body(connection)
        }
    }

    /// Call options for one unary call: fail fast rather than wait for a dead member.
    var unaryOptions: CallOptions {
        var options = CallOptions.defaults
        options.timeout = configuration.callTimeout
        options.waitForReady = false
        return options
    }

    /// Runs `call` against the current member, moving to the next one while members are unreachable.
    func call<T: Sendable>(_ what: String, _ call: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> T) async throws -> T {
        var failures: [String] = []
        let start = current.withLock { $0 }
        for offset in 0..<clients.count {
            let index = (start + offset) % clients.count
            do {
                let result = try await call(clients[index])
                if offset > 0 { current.withLock { $0 = index } }
                return result
            } catch let error as RPCError where Self.isUnreachable(error) {
                failures.append("\(configuration.endpoints[index]): \(error.message)")
            }
        }
        throw RPCError(code: .unavailable, message: "etcd \(what) failed on every member: \(failures.joined(separator: "; "))")
    }

    /// The member the next call goes to first.
    var preferredClient: (endpoint: String, client: GRPCClient<HTTP2ClientTransport.Posix>) {
        let index = current.withLock { $0 }
        return (configuration.endpoints[index], clients[index])
    }

    /// The client of member `index` (in `configuration.endpoints` order).
    func clientAt(_ index: Int) -> GRPCClient<HTTP2ClientTransport.Posix> { clients[index] }

    /// Moves the preferred member on (after a stream to it broke).
    func rotate() {
        current.withLock { $0 = ($0 + 1) % clients.count }
    }

    /// Errors that say "try another member": the member is down, slow, or has lost its quorum
    /// view (etcd answers UNAVAILABLE for "etcdserver: no leader" and DEADLINE_EXCEEDED for
    /// "request timed out").
    static func isUnreachable(_ error: RPCError) -> Bool {
        error.code == .unavailable || error.code == .deadlineExceeded || error.code == .cancelled
    }
}
