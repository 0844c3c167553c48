import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import MedLedgerTesting
import Schema
import Wire

/// Bytes in, bytes out: lets a test send any request bytes to any method, including ones no
/// generated client would produce (invalid UTF-8, more than 4 MiB, truncated fields).
struct RawBytesCodec: MessageSerializer, MessageDeserializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}

/// How a method streams, which decides how a raw call is made.
enum CallShape: Sendable {
    case unary, serverStreaming, clientStreaming, bidirectional
}

/// One hostile request and the status it must get.
struct HostileCase: Sendable, CustomStringConvertible {
    var method: MethodDescriptor
    var value: String
    var messages: [[UInt8]]
    var expected: RPCError.Code
    /// A fragment the status message must hold (e.g. the limit it names).
    var mentions: String? = nil

    var description: String { "\(method.fullyQualifiedMethod) with \(value)" }
}

/// What a raw call ended with: nil code for OK.
struct CallOutcome: Sendable {
    var code: RPCError.Code?
    var message: String
}

/// Makes `messages` as one call of `shape` to `method` and returns its status.
func rawCall(
    _ client: GRPCClient<HTTP2ClientTransport.Posix>, _ method: MethodDescriptor, shape: CallShape, messages: [[UInt8]]
) async -> CallOutcome {
    let codec = RawBytesCodec()
    let options = callOptions(timeout: .seconds(30))
    let producer: @Sendable (RPCWriter<[UInt8]>) async throws -> Void = { writer in
        for message in messages { try await writer.write(message) }
    }
    do {
        switch shape {
        case .unary:
            _ = try await client.unary(
                request: ClientRequest(message: messages[0]), descriptor: method, serializer: codec, deserializer: codec, options: options
            ) { try $0.message }
        case .serverStreaming:
            try await client.serverStreaming(
                request: ClientRequest(message: messages[0]), descriptor: method, serializer: codec, deserializer: codec, options: options
            ) { response in for try await _ in response.messages {} }
        case .clientStreaming:
            _ = try await client.clientStreaming(
                request: StreamingClientRequest(producer: producer), descriptor: method, serializer: codec, deserializer: codec,
                options: options
            ) { try $0.message }
        case .bidirectional:
            try await client.bidirectionalStreaming(
                request: StreamingClientRequest(producer: producer), descriptor: method, serializer: codec, deserializer: codec,
                options: options
            ) { response in for try await _ in response.messages {} }
        }
        return CallOutcome(code: nil, message: "")
    } catch let error as RPCError {
        return CallOutcome(code: error.code, message: error.message)
    } catch {
        return CallOutcome(code: .unknown, message: "client-side \(error)")
    }
}

/// Hand-made protobuf: one length-delimited field, so a test can put bytes where the schema
/// says UTF-8, or nest a hostile value without a generated type allowing it.
enum RawField {
    static func lengthDelimited(_ number: UInt32, _ payload: [UInt8]) -> [UInt8] {
        varint(UInt64(number << 3 | 2)) + varint(UInt64(payload.count)) + payload
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var bytes: [UInt8] = []
        repeat {
            bytes.append(UInt8(value & 0x7F) | (value > 0x7F ? 0x80 : 0))
            value >>= 7
        } while value > 0
        return bytes
    }
}

extension Wire.Message {
    /// The message's wire bytes.
    var bytes: [UInt8] { Array(serializedData()) }

    /// A message built in one expression.
    static func with(_ configure: (inout Self) -> Void) -> Self {
        var message = Self()
        configure(&message)
        return message
    }
}
