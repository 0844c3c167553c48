internal import NIOCore
internal import NIOHTTP2

/// Installed first on every HTTP/2 stream: runs the stream's DATA through a `RequestSizeLimiter`,
/// so that a request message over the limit gets RESOURCE_EXHAUSTED naming the limit (from the
/// deserializer) instead of the bare RST_STREAM that gRPC's own deframer answers with.
final class RequestSizeGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias InboundOut = HTTP2Frame.FramePayload

    private var limiter = RequestSizeLimiter()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .data(var frame) = unwrapInboundIn(data), case .byteBuffer(let bytes) = frame.data else {
            context.fireChannelRead(data)
            return
        }
        frame.data = .byteBuffer(limiter.filter(bytes))
        context.fireChannelRead(wrapInboundOut(.data(frame)))
    }

    /// The `onAcceptHTTP2Stream` callback that installs the guard.
    static let installer: @Sendable (any Channel) -> EventLoopFuture<Void> = { channel in
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(RequestSizeGuard(), position: .first)
        }
    }
}
