public import Foundation
internal import Logging
internal import NIOCore
internal import NIOHTTP1
internal import NIOPosix

/// `GET /metrics` over plain HTTP/1.1 on 127.0.0.1 only, for a Prometheus server on the same host
/// (or an SSH tunnel): the node's metrics name channels, methods and counts, never health data,
/// keys or identities, and binding to loopback keeps even that off the network. Every other
/// path is 404, every other method 405.
public final class MetricsEndpoint: Sendable {
    private let channel: any Channel

    /// The port it listens on (the kernel's choice when asked for 0).
    public let port: Int

    /// Starts listening on 127.0.0.1:`port` (0: a free port), before the node serves gRPC.
    public init(metrics: NodeMetrics, port: Int) throws {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
                    channel.pipeline.addHandler(MetricsHTTPHandler(metrics: metrics))
                }
            }
        channel = try bootstrap.bind(host: "127.0.0.1", port: port).wait()
        self.port = channel.localAddress?.port ?? port
    }

    /// Stops listening.
    public func close() async {
        try? await channel.close()
    }
}

/// Answers one request at a time on a connection.
private final class MetricsHTTPHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let metrics: NodeMetrics
    private var head: HTTPRequestHead?

    init(metrics: NodeMetrics) {
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request): head = request
        case .body: break
        case .end:
            guard let request = head else { return }
            head = nil
            respond(to: request, context: context)
        }
    }

    private func respond(to request: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        let (status, type, body): (HTTPResponseStatus, String, [UInt8])
        if path != "/metrics" {
            (status, type, body) = (.notFound, "text/plain; charset=utf-8", Array("only /metrics is served here\n".utf8))
        } else if request.method != .GET && request.method != .HEAD {
            (status, type, body) = (.methodNotAllowed, "text/plain; charset=utf-8", Array("GET /metrics\n".utf8))
        } else {
            (status, type, body) = (.ok, "text/plain; version=0.0.4; charset=utf-8", metrics.exposition())
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: type)
        headers.add(name: "Content-Length", value: "\(body.count)")
        if status == .methodNotAllowed { headers.add(name: "Allow", value: "GET, HEAD") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let keepAlive = request.isKeepAlive
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { context.close(promise: nil) }
        }
    }
}
