public import GRPCCore
internal import GRPCNIOTransportHTTP2
public import Logging
public import ServiceLifecycle
internal import UnixSignals

/// A gRPC service the node serves, with the fully qualified name it reports to health checks
/// (e.g. `medledger.v1.Gateway`).
public struct HostedService: Sendable {
    public var name: String
    public var service: any RegistrableRPCService

    public init(name: String, service: any RegistrableRPCService) {
        self.name = name
        self.service = service
    }
}

/// The address a running server accepts connections on.
public struct ListeningAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// A MedLedger node's gRPC endpoint: HTTP/2 over TLS 1.3 with the health service and any hosted
/// services, run as a swift-service-lifecycle `Service`. Clients may present a certificate (mTLS);
/// the `interceptors` (normally an `AuthenticationInterceptor`) decide what each call may do.
///
/// On graceful shutdown every health status turns NOT_SERVING (and open Watch calls hear it and end)
/// before the server stops accepting calls and drains the ones in flight.
public final class MedLedgerServer: Service, Sendable {
    /// The name under which the health service itself reports.
    public static let healthServiceName = "grpc.health.v1.Health"
    /// HTTP/2 streams one connection may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS); a
    /// client's further calls wait for a free one. Node-to-node connections carry many calls.
    public static let maxConcurrentStreams = 1024

    public let configuration: ServerConfiguration
    /// The health of the node and its services; hosted services may change their own status here.
    public let health: HealthStatusBoard

    private let transport: HTTP2ServerTransport.Posix
    private let server: GRPCServer<HTTP2ServerTransport.Posix>
    private let logger: Logger
    private let renewal: TLSRenewalLoop?
    private let announced = OneTimeSignal()

    public init(
        configuration: ServerConfiguration,
        tls: ServerTLSMaterial,
        renewingTLS: (any RenewingTLSMaterialSource)? = nil,
        services: [HostedService] = [],
        interceptors: [any ServerInterceptor] = [],
        logger: Logger = Logger(label: "medledger.server")
    ) throws {
        self.configuration = configuration
        self.logger = logger
        self.health = HealthStatusBoard(serving: [Self.healthServiceName] + services.map(\.name))
        let sslContext = try ReplaceableTLSContext(material: tls)
        self.renewal = renewingTLS.map { TLSRenewalLoop(source: $0, context: sslContext, logger: logger) }

        let address: SocketAddress =
            configuration.host.contains(":")
            ? .ipv6(host: configuration.host, port: configuration.port)
            : .ipv4(host: configuration.host, port: configuration.port)
        self.transport = HTTP2ServerTransport.Posix(
            address: address,
            transportSecurity: .tls(
                certificateChain: tls.certificateChainPEM.map { .bytes(Array($0.utf8), format: .pem) },
                privateKey: .bytes(Array(tls.privateKeyPEM.utf8), format: .pem)
            ),
            config: .defaults { config in
                config.channelDebuggingCallbacks.onAcceptTCPConnection = OptionalClientCertificateTLS.installer(
                    context: sslContext,
                    logger: logger
                )
                config.channelDebuggingCallbacks.onAcceptHTTP2Stream = RequestSizeGuard.installer
                config.http2.maxConcurrentStreams = Self.maxConcurrentStreams
                // Other nodes ping every 10 s to notice a stopped peer; that is not abuse.
                config.connection.keepalive.clientBehavior = .init(minPingIntervalWithoutCalls: .seconds(5), allowWithoutCalls: true)
            }
        )
        self.server = GRPCServer(
            transport: transport,
            services: [HealthService(board: health)] + Self.reflectionServices(hosting: services) + services.map(\.service),
            interceptors: [StatusBoundary(logger: logger)] + interceptors
        )
    }

    /// Server reflection, v1 and v1alpha, listing the health service, itself and `services`.
    private static func reflectionServices(hosting services: [HostedService]) -> [any RegistrableRPCService] {
        let catalog = ReflectionCatalog(
            serviceNames: [healthServiceName, reflectionServiceName, reflectionServiceNameV1Alpha] + services.map(\.name))
        return [ReflectionService(catalog: catalog), ReflectionServiceV1Alpha(catalog: catalog)]
    }

    /// The names of the reflection services every node serves.
    public static let reflectionServiceName = "grpc.reflection.v1.ServerReflection"
    public static let reflectionServiceNameV1Alpha = "grpc.reflection.v1alpha.ServerReflection"

    /// The bound address, once the server is listening; with port 0 this tells the port the kernel chose.
    ///
    /// Waits until the server has bound its socket; throws if it failed to bind or has stopped.
    public var listeningAddress: ListeningAddress {
        get async throws {
            let address = try await transport.listeningAddress
            if let ipv4 = address.ipv4 {
                return ListeningAddress(host: ipv4.host, port: ipv4.port)
            }
            if let ipv6 = address.ipv6 {
                return ListeningAddress(host: ipv6.host, port: ipv6.port)
            }
            throw RuntimeError(code: .transportError, message: "server bound a non-IP address: \(address)")
        }
    }

    /// The bound address, once the server has logged that it listens: what a command prints
    /// after awaiting this comes after that log line, not in the middle of it.
    public var announcedAddress: ListeningAddress {
        get async throws {
            let address = try await listeningAddress
            await announced.wait()
            return address
        }
    }

    /// Serves until a graceful shutdown (from the enclosing `ServiceGroup` or `beginGracefulShutdown()`)
    /// has drained every call, or until the task is cancelled.
    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.server.serve() }
                if let renewal = self.renewal { group.addTask { await renewal.run() } }
                if let address = try? await self.listeningAddress {
                    self.logger.info("listening", metadata: ["address": "\(address)", "tls": "1.3"])
                }
                await self.announced.raise()
                // The server has stopped (the renewal loop only ends when cancelled): stop renewing.
                try await group.next()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.beginGracefulShutdown()
        }
        logger.info("stopped")
    }

    /// Reports NOT_SERVING for everything, then stops accepting calls and lets those in flight finish.
    public func beginGracefulShutdown() {
        Task {
            logger.info("shutting down")
            await health.shutDown()
            server.beginGracefulShutdown()
        }
    }
}

extension MedLedgerServer {
    /// Runs the server until SIGTERM or SIGINT, then shuts it down gracefully; calls still running
    /// after `gracePeriod` are cancelled.
    public func runUntilTerminated(gracePeriod: Duration = .seconds(10)) async throws {
        var configuration = ServiceGroupConfiguration(
            services: [self],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        configuration.maximumGracefulShutdownDuration = gracePeriod
        try await ServiceGroup(configuration: configuration).run()
    }
}
