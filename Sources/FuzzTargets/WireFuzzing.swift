internal import Foundation
internal import Schema
internal import Wire

/// Fuzzing of the protobuf runtime over every message type `Schema` generates.
enum WireFuzzing {
    static let types = MessageRegistry.messageTypes

    /// The type the first byte names, and the rest of the input.
    static func split(_ data: Data) -> (any Wire.Message.Type, Data)? {
        guard let first = data.first else { return nil }
        return (types[Int(first) % types.count], data.dropFirst())
    }

    static func binary(_ data: Data) {
        guard let (type, bytes) = split(data) else { return }
        roundTrip(type, bytes)
    }

    private static func roundTrip<M: Wire.Message>(_ type: M.Type, _ bytes: Data) {
        guard let message = try? M(serializedData: bytes) else { return }
        let encoded = message.serializedData()
        guard let again = try? M(serializedData: encoded) else {
            preconditionFailure("\(M.protoMessageName): its own encoding does not decode")
        }
        // NaN != NaN, so equality is checked where it holds and the encoding everywhere.
        precondition(again == message || again.serializedData() == encoded, "\(M.protoMessageName): decode(encode(m)) != m")
        _ = message.jsonString()
    }

    static func json(_ data: Data) {
        guard let (type, bytes) = split(data) else { return }
        parsePrintParse(type, String(decoding: bytes, as: UTF8.self))
    }

    private static func parsePrintParse<M: Wire.Message>(_ type: M.Type, _ text: String) {
        guard let message = try? M(jsonString: text) else { return }
        let printed = message.jsonString()
        guard (try? M(jsonString: printed)) != nil else {
            preconditionFailure("\(M.protoMessageName): its own JSON does not parse: \(printed.prefix(200))")
        }
    }
}
