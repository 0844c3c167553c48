public import Foundation

/// A JSON document as contracts read and write it and as rich queries see state values. Encoded with sorted keys, so the same value
/// always gives the same bytes on every peer. Integers that fit in 64 bits stay exact.
public indirect enum JSONDocument: Codable, Equatable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONDocument])
    case object([String: JSONDocument])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONDocument].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONDocument].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Parses `data`; nil if it is not JSON.
    public static func parse(_ data: Data) -> JSONDocument? {
        try? JSONDecoder().decode(JSONDocument.self, from: data)
    }

    /// The canonical encoding: sorted keys, no insignificant whitespace.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The string value, if this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }
}
