internal import GRPCNIOTransportHTTP2
internal import Logging
internal import NIOCore
internal import NIOSSL

/// Replaces the TLS handler of each accepted connection with one that *asks* for a client
/// certificate but does not require one, so that Enroll, GetCAInfo and Health work over plain TLS
/// while every other call can be identified by its certificate.
///
/// The Posix transport offers only "no client certificate" or "client certificate required". The
/// handler presented here accepts any certificate the client proves it holds (the TLS handshake's
/// CertificateVerify); `AuthenticationInterceptor` then decides, per call, whether it identifies a
/// member — which lets refusals carry a gRPC status and a reason instead of a failed handshake.
enum OptionalClientCertificateTLS {
    static func makeContext(material: ServerTLSMaterial) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try material.certificateChainPEM.map {
                .certificate(try NIOSSLCertificate(bytes: Array($0.utf8), format: .pem))
            },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(material.privateKeyPEM.utf8), format: .pem))
        )
        configuration.minimumTLSVersion = .tlsv13
        configuration.certificateVerification = .optionalVerification
        if let root = material.trustRootPEM {
            // Names the org CA in the CertificateRequest so clients pick the right certificate.
            configuration.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(root.utf8), format: .pem)])
        }
        configuration.applicationProtocols = ["grpc-exp", "h2"]
        return try NIOSSLContext(configuration: configuration)
    }

    /// Swaps the transport's TLS handler for one built from `context`, before the handshake starts.
    static func install(context sslContext: NIOSSLContext, on channel: any Channel) throws {
        let operations = channel.pipeline.syncOperations
        let original = try operations.handler(type: NIOSSLServerHandler.self)
        let replacement = NIOSSLServerHandler(context: sslContext) { _, promise in
            promise.succeed(.certificateVerified)
        }
        try operations.addHandler(replacement, position: .before(original))
        _ = operations.removeHandler(original)
    }

    /// The transport callback for accepted connections: the TLS handler swap, then the TLS 1.3 gate.
    static func installer(context sslContext: ReplaceableTLSContext, logger: Logger) -> @Sendable (any Channel) -> EventLoopFuture<Void> {
        { channel in
            channel.eventLoop.makeCompletedFuture {
                try install(context: sslContext.current, on: channel)
                try TLS13Gate.install(on: channel, logger: logger)
            }
        }
    }
}
