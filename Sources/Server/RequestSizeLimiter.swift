internal import NIOCore
internal import Schema

/// The gRPC length-prefixed framing of one stream's request bytes, as a pure filter: messages up
/// to `limit` pass unchanged; a longer one is replaced by `OversizedRequest`'s marker and its
/// payload is dropped as it arrives, so nothing larger than `limit` is ever buffered. The 5-byte
/// prefix may arrive split across DATA frames.
struct RequestSizeLimiter {
    let limit: Int
    private var prefix: [UInt8] = []
    /// Payload bytes of the current message still to pass on.
    private var forwarding = 0
    /// Payload bytes of the current, oversized message still to drop.
    private var discarding = 0

    init(limit: Int = OversizedRequest.limit) {
        self.limit = limit
    }

    /// What of `input`, the next bytes of the stream, goes on to the deframer.
    mutating func filter(_ input: ByteBuffer) -> ByteBuffer {
        passedUnchanged(input) ?? rewritten(input)
    }

    /// `input` itself, the state advanced past it, if it holds no oversized message and ends
    /// neither inside a prefix nor inside a message being dropped: every frame of a well-behaved
    /// client, which then costs no copy.
    private mutating func passedUnchanged(_ input: ByteBuffer) -> ByteBuffer? {
        guard prefix.isEmpty, discarding == 0 else { return nil }
        var position = input.readerIndex
        var payload = forwarding
        while true {
            let available = input.writerIndex - position
            if payload >= available {
                forwarding = payload - available
                return input
            }
            position += payload
            guard input.writerIndex - position >= 5, let length = input.getInteger(at: position + 1, as: UInt32.self),
                Int(length) <= limit
            else { return nil }
            position += 5
            payload = Int(length)
        }
    }

    /// `input` copied message by message: an oversized one replaced by the marker, a prefix cut
    /// short held back until its frame completes it.
    private mutating func rewritten(_ input: ByteBuffer) -> ByteBuffer {
        var input = input
        var output = ByteBuffer()
        output.reserveCapacity(input.readableBytes)
        while input.readableBytes > 0 {
            if discarding > 0 {
                let count = min(discarding, input.readableBytes)
                input.moveReaderIndex(forwardBy: count)
                discarding -= count
            } else if forwarding > 0 {
                let count = min(forwarding, input.readableBytes)
                var payload = input.readSlice(length: count)!
                output.writeBuffer(&payload)
                forwarding -= count
            } else {
                prefix.append(input.readInteger(as: UInt8.self)!)
                guard prefix.count == 5 else { continue }
                let length = prefix[1...].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                if Int(length) > limit {
                    let marker = OversizedRequest.marker(declaredLength: length)
                    output.writeBytes([0] + withUnsafeBytes(of: UInt32(marker.count).bigEndian) { Array($0) } + marker)
                    discarding = Int(length)
                } else {
                    output.writeBytes(prefix)
                    forwarding = Int(length)
                }
                prefix = []
            }
        }
        return output
    }
}
