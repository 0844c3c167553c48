public import Foundation
internal import EHRModel
internal import Hummingbird
internal import HummingbirdTLS
public import Logging
internal import NIOCore
internal import ServiceLifecycle
internal import Synchronization

/// The node's HTTPS port (Hummingbird 2, the node's own TLS certificate, TLS 1.2 or 1.3 as HTTP
/// clients need): FHIR Bulk Data export of research studies behind SMART Backend Services
/// (`BulkDataService`). Unlike gRPC it asks for no client certificate: backend clients prove
/// who they are with a signed JWT at the token endpoint and a bearer token after that.
public final class FHIREndpoint: Sendable {
    /// Where it listens and how long export files are kept.
    public struct Configuration: Sendable {
        public var host: String
        /// 0 picks a free port.
        public var port: Int
        /// Extra DNS names or addresses the node's certificate holds (beside loopback and localhost).
        public var hostnames: [String]
        /// The channel whose studies are exported and whose backend clients are trusted.
        public var channelID: String
        /// How long a finished export's files stay for download.
        public var retention: TimeInterval

        public init(host: String = "127.0.0.1", port: Int, hostnames: [String] = [], channelID: String = "ehr", retention: TimeInterval = 3600) {
            self.host = host
            self.port = port
            self.hostnames = hostnames
            self.channelID = channelID
            self.retention = retention
        }
    }

    let configuration: Configuration
    let service: BulkDataService
    let certificate: HTTPSCertificate
    let logger: Logger
    private let bound = ListeningPort()
    /// The running server, and whether `stop()` came (perhaps before `run()` did).
    private let running = Mutex<(services: ServiceGroup?, stopped: Bool)>((nil, false))

    init(
        configuration: Configuration, exporter: StudyExporter, certificate: HTTPSCertificate, dataDirectory: URL, logger: Logger
    ) throws {
        let origins = FHIROrigins(names: configuration.hostnames + (["0.0.0.0", "::"].contains(configuration.host) ? [] : [configuration.host]))
        let channelID = configuration.channelID
        let node = exporter.node
        self.configuration = configuration
        self.certificate = certificate
        self.logger = logger
        self.service = BulkDataService(
            exporter: exporter,
            jobs: try BulkExportJobs(
                directory: dataDirectory.appendingPathComponent("exports", isDirectory: true), retention: configuration.retention, logger: logger),
            tokens: AccessTokens(),
            verifier: ClientAssertionVerifier(
                audiences: { origins.tokenURLs },
                registration: { clientID in try node.backendClient(clientID, on: channelID) },
                replays: AssertionReplayGuard(path: dataDirectory.appendingPathComponent("used-assertions.json").path)),
            channelID: channelID, origins: origins, logger: logger)
    }

    /// The port it listens on, once it does; throws if it could not start.
    public var port: Int {
        get async throws { try await bound.value() }
    }

    /// The FHIR base URL clients use (`https://127.0.0.1:PORT/fhir`).
    public var baseURL: String {
        get async throws { "https://127.0.0.1:\(try await port)/fhir" }
    }

    /// Serves until `stop()`; also deletes expired exports and picks up a renewed certificate.
    func run() async throws {
        let service = service
        let origins = service.origins
        let bound = bound
        let application = Application(
            responder: CallbackResponder<BasicRequestContext> { request, _ in await service.respond(to: request) },
            server: try .tls(.http1(), tlsConfiguration: certificate.serverConfiguration()),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "MedLedger"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                origins.listening(on: port)
                await bound.set(.success(port))
            },
            logger: logger)
        let services = ServiceGroup(configuration: ServiceGroupConfiguration(services: [application], logger: logger))
        let stopped = running.withLock { running in
            running.services = services
            return running.stopped
        }
        guard !stopped else {
            await bound.set(.failure(CancellationError()))
            return
        }
        do {
            try await withThrowingDiscardingTaskGroup { tasks in
                tasks.addTask {
                    try await services.run()
                    // Stopped: the sweeper below ends with it, and nobody waits for a port any more.
                    await bound.set(.failure(CancellationError()))
                    throw CancellationError()
                }
                tasks.addTask { [certificate, jobs = service.jobs] in
                    while true {
                        try await Task.sleep(for: .seconds(30))
                        await jobs.sweep()
                        certificate.reloadIfChanged()
                    }
                }
            }
        } catch is CancellationError {
        } catch {
            // Failing before it listened is almost always the port: say which, and what to do.
            let failure: any Error =
                await bound.isSet ? error : FHIREndpointError.cannotListen(host: configuration.host, port: configuration.port, reason: "\(error)")
            await bound.set(.failure(failure))
            throw failure
        }
        await service.jobs.removeAll()
    }

    /// Stops serving (connections finish their requests); export files are deleted.
    func stop() async {
        let services = running.withLock { running in
            running.stopped = true
            return running.services
        }
        await services?.triggerGracefulShutdown()
    }
}

/// Why the HTTPS endpoint did not start.
public enum FHIREndpointError: Error, CustomStringConvertible {
    case cannotListen(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case .cannotListen(let host, let port, let reason):
            "cannot serve FHIR Bulk Data over HTTPS on \(host):\(port): \(reason). Choose another --https-port, 0 for a free one, or --no-https"
        }
    }
}

/// The port a server binds, known once it listens (or the error that kept it from listening).
actor ListeningPort {
    private var result: Result<Int, any Error>?

    /// Whether the server listened or failed already.
    var isSet: Bool { result != nil }
    private var waiters: [CheckedContinuation<Int, any Error>] = []

    func set(_ result: Result<Int, any Error>) {
        guard self.result == nil else { return }
        self.result = result
        for waiter in waiters { waiter.resume(with: result) }
        waiters = []
    }

    func value() async throws -> Int {
        if let result { return try result.get() }
        return try await withCheckedThrowingContinuation { waiters.append($0) }
    }
}
