import Foundation
import LedgerCore
import Schema
internal import Wire
internal import EHRModel

/// Decoding arguments and stored values, encoding responses: every refusal names the field.
extension EHRContract {
    /// The call's one argument decoded as `Request`; 400 naming the field that is missing, of the
    /// wrong type or unexpected.
    static func request<Request: EHRRequest>(_ type: Request.Type, _ stub: ChaincodeStub) throws -> Request {
        let arguments = try stub.stringArgs()
        guard arguments.count == 1 else {
            throw rejected(400, "\(stub.function) takes one argument, a JSON object; got \(arguments.count) arguments")
        }
        let data = Data(arguments[0].utf8)
        let argument = "the argument of \(stub.function)"
        // Foundation says only "not valid JSON" for what it cannot take; on that (rare) path the
        // argument is parsed again to say what is wrong, and where. Every number in an EHR
        // request is an Int64 (times, counts).
        let refusal = { JSONArgument.refusal(arguments[0], what: argument, integersOnly: true) }
        guard case .object(let fields)? = JSONDocument.parse(data) else {
            throw rejected(400, refusal() ?? "\(argument) must be a JSON object")
        }
        let known = Set(Request.Field.allCases.map(\.stringValue))
        if let unexpected = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw rejected(400, "\(stub.function) has no field \"\(QuotedInput.bounded(unexpected, limit: 64))\"; its fields are \(known.sorted().joined(separator: ", "))")
        }
        do {
            return try JSONDecoder().decode(Request.self, from: data)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty, let refusal = refusal() {
                throw rejected(400, refusal)
            }
            throw rejected(400, "\(stub.function): \(describe(error))")
        }
    }

    /// "field \"grantee.kind\" is missing" and the like.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "field \"\(path(context.codingPath + [key]))\" is missing"
        case .valueNotFound(_, let context):
            return "field \"\(path(context.codingPath))\" must not be null"
        case .typeMismatch(let type, let context):
            return "field \"\(path(context.codingPath))\" must be \(describe(type))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "the argument is not valid JSON"
                : "field \"\(path(context.codingPath))\" has an invalid value (\(QuotedInput.bounded(context.debugDescription, limit: 160)))"
        @unknown default:
            return "\(error)"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int64.Type, is Int.Type: "an integer"
        case is Bool.Type: "true or false"
        default: String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }

    /// The canonical encoding: sorted keys, so every peer writes the same bytes.
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    static func respond(_ value: some Encodable) throws -> Medledger_V1_Response {
        .success(try encode(value))
    }

    static func store(_ value: some Encodable, at key: String, _ stub: ChaincodeStub) throws {
        try stub.putState(key, try encode(value))
    }

    /// The value stored at `key`, or nil; a stored value that does not decode is a 500.
    static func load<Value: Decodable>(_ type: Value.Type, at key: String, _ stub: ChaincodeStub) throws -> Value? {
        guard let data = try stub.getState(key) else { return nil }
        return try decodeStored(type, data, key: key)
    }

    /// Every value under the partial composite key (`objectType`, `attributes`), in key order.
    static func loadAll<Value: Decodable>(_ type: Value.Type, _ objectType: String, _ attributes: [String], _ stub: ChaincodeStub)
        throws -> [Value]
    {
        let page = try stub.getStateByPartialCompositeKey(objectType: objectType, attributes: attributes)
        return try page.entries.map { entry in try decodeStored(type, entry.value, key: entry.key) }
    }

    private static func decodeStored<Value: Decodable>(_ type: Value.Type, _ data: Data, key: String) throws -> Value {
        do { return try JSONDecoder().decode(type, from: data) } catch {
            throw rejected(500, "the value stored at \(QuotedInput.quote(key)) is not a \(type): \(error)")
        }
    }

    static func rejected(_ status: Int32, _ message: String) -> ChaincodeError {
        .rejected(status: status, message: message)
    }
}
