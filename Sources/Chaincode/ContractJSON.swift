import Foundation

/// A JSON document as contracts read and write it. Encoded with sorted keys, so the same value
/// always gives the same bytes on every peer. Integers that fit in 64 bits stay exact.
enum ContractJSON: Codable, Equatable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([ContractJSON])
    case object([String: ContractJSON])

    init(from decoder: any Decoder) throws {
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
        } else if let array = try? container.decode([ContractJSON].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: ContractJSON].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
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
    static func parse(_ data: Data) -> ContractJSON? {
        try? JSONDecoder().decode(ContractJSON.self, from: data)
    }

    /// The canonical encoding: sorted keys, no insignificant whitespace.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The string value, if this is a string.
    var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }
}
