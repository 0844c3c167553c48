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
        let data = serializedMessageBytes.withUnsafeBytes { Data($0) }
        do {
            return try Message(serializedData: data)
        } catch {
            throw RPCError(code: .invalidArgument, message: "cannot decode \(Message.protoMessageName): \(error)")
        }
    }
}
