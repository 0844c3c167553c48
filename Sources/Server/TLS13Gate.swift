internal import Logging
internal import NIOCore
internal import NIOSSL
internal import NIOTLS

/// Closes any accepted connection whose TLS handshake settled on a version older than TLS 1.3,
/// before a single byte of application data reaches gRPC.
///
/// The Posix transport of grpc-swift-nio-transport fixes the minimum TLS version at 1.2 and offers
/// no setting for it, so the gate sits right behind its TLS handler instead. It closes the
/// connection as soon as the handshake completes, and checks again on the first read so that no
/// data passes even if the handshake event were missed.
final class TLS13Gate: ChannelInboundHandler {
    typealias InboundIn = NIOAny
    typealias InboundOut = NIOAny

    private let logger: Logger
    private var admitted = false

    init(logger: Logger) {
        self.logger = logger
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent, !admit(context: context) {
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard admitted || admit(context: context) else { return }
        context.fireChannelRead(data)
    }

    /// Admits a TLS 1.3 connection; closes any other and returns false.
    private func admit(context: ChannelHandlerContext) -> Bool {
        let version = try? context.pipeline.syncOperations.nioSSL_tlsVersion()
        guard version == .tlsv13 else {
            logger.warning(
                "closing connection that did not negotiate TLS 1.3",
                metadata: [
                    "peer": "\(context.remoteAddress.map { "\($0)" } ?? "unknown")",
                    "tls-version": "\(version.map { "\($0)" } ?? "none")",
                ]
            )
            context.close(promise: nil)
            return false
        }
        admitted = true
        return true
    }

    /// Installs the gate right behind the connection's TLS handler.
    static func install(on channel: any Channel, logger: Logger) throws {
        let operations = channel.pipeline.syncOperations
        let tls = try operations.handler(type: NIOSSLServerHandler.self)
        try operations.addHandler(TLS13Gate(logger: logger), position: .after(tls))
    }
}
