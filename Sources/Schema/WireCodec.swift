import Foundation
public import GRPCCore
public import Wire

/// Serializes generated messages for grpc-swift-2 with MedLedger's own wire runtime: the message is
/// sized once, then encoded straight into the transport's buffer.
public struct WireSerializer<Message: Wire.Message>: GRPCCore.MessageSerializer {
    public init() {}

    public func serialize<Bytes: GRPCContiguousBytes>(_ message: Message) throws -> Bytes {
        var cache = SizeCache()
        let size = message.computeSize(into: &cache)
        var bytes = Bytes(repeating: 0, count: size)
        bytes.withUnsafeMutableBytes { buffer in
            var writer = WireWriter(buffer: buffer)
            message.encode(to: &writer, cache: &cache)
        }
        return bytes
    }
}

/// Deserializes generated messages for grpc-swift-2; malformed input becomes `INVALID_ARGUMENT`
/// with the decoder's message, which names the offending field.
public struct WireDeserializer<Message: Wire.Message>: GRPCCore.MessageDeserializer {
    public init() {}

    public func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> Message {
        if let declared = serializedMessageBytes.withUnsafeBytes({ OversizedRequest.declaredLength(inMarker: $0) }) {
            throw RPCError(
                code: .resourceExhausted,
                message: "request message of \(declared) bytes exceeds the limit of \(OversizedRequest.limit) bytes (4 MiB) per message")
        }
        let data = serializedMessageBytes.withUnsafeBytes { Data($0) }
        do {
            return try Message(serializedData: data)
        } catch {
            throw RPCError(code: .invalidArgument, message: "cannot decode \(Message.protoMessageName): \(error)")
        }
    }
}

/// The largest request message a node takes, and the marker that stands in for a larger one.
/// The node's transport guard (in `Server`) replaces an oversized message by the marker before
/// gRPC's deframer sees it, which would otherwise reset the stream with no status; the
/// deserializer turns the marker into RESOURCE_EXHAUSTED naming the limit. The marker starts with
/// a zero byte, which no protobuf message can (field number 0 does not exist), so it cannot be
/// mistaken for a real message: a client that forges one only fails its own call.
public enum OversizedRequest {
    /// 4 MiB, gRPC's customary default.
    public static let limit = 4 * 1024 * 1024

    private static let magic = Array("\u{0}medledger:oversized:".utf8)

    /// The marker for a message that declared `length` bytes.
    public static func marker(declaredLength length: UInt32) -> [UInt8] {
        magic + withUnsafeBytes(of: length.bigEndian) { Array($0) }
    }

    /// The declared length if `bytes` is a marker.
    public static func declaredLength(inMarker bytes: UnsafeRawBufferPointer) -> UInt32? {
        guard bytes.count == magic.count + 4, bytes.first == 0, Array(bytes.prefix(magic.count)) == magic else { return nil }
        return bytes.suffix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }
}
