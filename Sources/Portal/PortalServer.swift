public import EHRModel
public import GRPCCore
internal import Hummingbird
public import Identity
public import Logging
internal import MedLedgerKit
internal import NIOCore
internal import ServiceLifecycle
internal import Synchronization
internal import UnixSignals

/// `medledger portal`: a web app on 127.0.0.1 for one user, run on the user's own machine like the
/// CLI. It holds the user's identity: it signs their transactions and decrypts their records
/// here, so the private key never reaches the page and the node never sees plaintext. Every action
/// is the SDK call the CLI makes, so the ledger decides and audits it; the portal adds no rule.
public final class PortalServer<Transport: ClientTransport>: Sendable {
    /// Where the portal listens and what it shows.
    public struct Configuration: Sendable {
        /// 0 picks a free port.
        public var port: Int
        /// The channel of the health records.
        public var channel: String
        /// The channels the explorer shows (auditors and admins).
        public var explorerChannels: [String]

        public init(port: Int = 8800, channel: String = "ehr", explorerChannels: [String] = ["ehr"]) {
            self.port = port
            self.channel = channel
            self.explorerChannels = explorerChannels
        }
    }

    let configuration: Configuration
    let backend: PortalBackend<Transport>
    let sessions: PortalSessions
    let logger: Logger
    private let bound = Mutex<Result<Int, any Error>?>(nil)
    private let waiters = Mutex<[CheckedContinuation<Int, any Error>]>([])
    private let services = Mutex<(group: ServiceGroup?, stopped: Bool)>((nil, false))

    /// A portal acting as `user` (whose key `signer` holds) through `client`, an mTLS connection as
    /// the same identity.
    public init(
        user: Reader, client: GRPCClient<Transport>, signer: RequestSigner, configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "medledger.portal")
    ) throws {
        self.configuration = configuration
        self.sessions = PortalSessions()
        self.logger = logger
        self.backend = PortalBackend(
            user: user, records: HealthRecords(client: client, signer: signer, channel: configuration.channel), client: client,
            pages: try PortalPages(user: user), explorerChannels: configuration.explorerChannels)
    }

    /// The port, once listening.
    public var port: Int {
        get async throws {
            if let result = bound.withLock({ $0 }) { return try result.get() }
            return try await withCheckedThrowingContinuation { continuation in
                let result: Result<Int, any Error>? = bound.withLock { result in
                    if result == nil { waiters.withLock { $0.append(continuation) } }
                    return result
                }
                if let result { continuation.resume(with: result) }
            }
        }
    }

    /// The address to open, with the access token: whoever has it can act as this identity.
    public var signInURL: String {
        get async throws { "http://127.0.0.1:\(try await port)/?token=\(sessions.accessToken)" }
    }

    /// Serves on 127.0.0.1 until `stop()` (or SIGINT/SIGTERM when `handlingSignals`).
    public func run(handlingSignals: Bool = false) async throws {
        let router = Router(context: PortalContext.self)
        router.add(middleware: PortalGate(sessions: sessions, pages: backend.pages, logger: logger))
        backend.addRoutes(to: router)
        let application = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: configuration.port), serverName: "MedLedger Portal"),
            onServerRunning: { [self] channel in self.listened(.success(channel.localAddress?.port ?? 0)) },
            logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [application], gracefulShutdownSignals: handlingSignals ? [.sigterm, .sigint] : [], logger: logger))
        let stopped = services.withLock { services in
            services.group = group
            return services.stopped
        }
        guard !stopped else { return listened(.failure(CancellationError())) }
        do {
            try await group.run()
            listened(.failure(CancellationError()))
        } catch {
            // Failing before it listened is the port (taken, or not allowed): say which.
            let listening = bound.withLock { bound in
                if case .success = bound { true } else { false }
            }
            guard !listening else { throw error }
            let failure = PortalError.cannotListen(port: configuration.port, reason: "\(error)")
            listened(.failure(failure))
            throw failure
        }
    }

    /// Stops serving; open pages get their answers first.
    public func stop() async {
        let group = services.withLock { services in
            services.stopped = true
            return services.group
        }
        await group?.triggerGracefulShutdown()
    }

    private func listened(_ result: Result<Int, any Error>) {
        let pending: [CheckedContinuation<Int, any Error>] = bound.withLock { bound in
            guard bound == nil else { return [] }
            bound = result
            return waiters.withLock { waiters in
                defer { waiters = [] }
                return waiters
            }
        }
        for waiter in pending { waiter.resume(with: result) }
    }
}
