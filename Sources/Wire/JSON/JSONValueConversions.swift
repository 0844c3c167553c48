public import Foundation

/// Conversions from JSON values to field values under the proto3 JSON rules; every failure names
/// the field's path and what was expected.
extension JSONValue {
    @inlinable
    public var isNull: Bool { if case .null = self { true } else { false } }

    public func int32(at path: JSONPath) throws(JSONMappingError) -> Int32 {
        try integer(at: path, as: Int32.self)
    }

    public func uint32(at path: JSONPath) throws(JSONMappingError) -> UInt32 {
        try integer(at: path, as: UInt32.self)
    }

    public func int64(at path: JSONPath) throws(JSONMappingError) -> Int64 {
        try integer(at: path, as: Int64.self)
    }

    public func uint64(at path: JSONPath) throws(JSONMappingError) -> UInt64 {
        try integer(at: path, as: UInt64.self)
    }

    /// Integers may be JSON numbers or strings; an exponent or fraction is accepted only when the
    /// value is integral and in range.
    func integer<T: FixedWidthInteger>(at path: JSONPath, as type: T.Type) throws(JSONMappingError) -> T {
        let text: String
        switch self {
        case .number(let literal): text = literal
        case .string(let literal): text = literal
        default: throw JSONMappingError(path: path, reason: "expected an integer, found \(kindName)")
        }
        if let exact = T(text) { return exact }
        guard text.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }), let double = Double(text),
              double.rounded() == double, let converted = T(exactly: double)
        else {
            throw JSONMappingError(path: path, reason: "\"\(text)\" is not a valid \(T.self)")
        }
        return converted
    }

    public func double(at path: JSONPath) throws(JSONMappingError) -> Double {
        switch self {
        case .number(let literal):
            guard let value = Double(literal), value.isFinite else {
                throw JSONMappingError(path: path, reason: "\(literal) is out of range for double")
            }
            return value
        case .string(let literal):
            switch literal {
            case "NaN": return .nan
            case "Infinity": return .infinity
            case "-Infinity": return -.infinity
            default:
                guard let value = Double(literal), value.isFinite, !literal.contains(where: { $0.isLetter && $0 != "e" && $0 != "E" })
                else { throw JSONMappingError(path: path, reason: "\"\(literal)\" is not a number") }
                return value
            }
        default:
            throw JSONMappingError(path: path, reason: "expected a number, found \(kindName)")
        }
    }

    public func float(at path: JSONPath) throws(JSONMappingError) -> Float {
        let value = try double(at: path)
        if value.isFinite, abs(value) > Double(Float.greatestFiniteMagnitude) {
            throw JSONMappingError(path: path, reason: "\(value) is out of range for float")
        }
        return Float(value)
    }

    public func bool(at path: JSONPath) throws(JSONMappingError) -> Bool {
        guard case .bool(let value) = self else {
            throw JSONMappingError(path: path, reason: "expected true or false, found \(kindName)")
        }
        return value
    }

    public func string(at path: JSONPath) throws(JSONMappingError) -> String {
        guard case .string(let value) = self else {
            throw JSONMappingError(path: path, reason: "expected a string, found \(kindName)")
        }
        return value
    }

    /// `bytes` accept standard and URL-safe base64, with or without padding.
    public func bytes(at path: JSONPath) throws(JSONMappingError) -> Data {
        let text = try string(at: path)
        guard let data = Base64.decode(text) else {
            throw JSONMappingError(path: path, reason: "not valid base64")
        }
        return data
    }

    /// Enums accept the value's name or its number.
    public func enumValue<E: ProtoEnum>(at path: JSONPath, as type: E.Type) throws(JSONMappingError) -> E {
        switch self {
        case .string(let name):
            guard let value = E(protoName: name) else {
                throw JSONMappingError(path: path, reason: "\"\(name)\" is not a value of \(E.self)")
            }
            return value
        case .number:
            return E(rawValue: try int32(at: path))
        default:
            throw JSONMappingError(path: path, reason: "expected an enum name or number, found \(kindName)")
        }
    }

    public func message<M: Message>(at path: JSONPath, as type: M.Type) throws(JSONMappingError) -> M {
        guard case .object(let object) = self else {
            throw JSONMappingError(path: path, reason: "expected an object, found \(kindName)")
        }
        var message = M()
        try message.readJSON(from: object, path: path)
        return message
    }

    /// Elements of a repeated field (`null` is an empty list).
    public func array(at path: JSONPath) throws(JSONMappingError) -> [JSONValue] {
        switch self {
        case .null: return []
        case .array(let elements): return elements
        default: throw JSONMappingError(path: path, reason: "expected an array, found \(kindName)")
        }
    }

    /// Members of a map field (`null` is an empty map).
    public func mapObject(at path: JSONPath) throws(JSONMappingError) -> JSONObject {
        switch self {
        case .null: return JSONObject()
        case .object(let object): return object
        default: throw JSONMappingError(path: path, reason: "expected an object, found \(kindName)")
        }
    }

    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Map keys are JSON strings; these read them back as the key's scalar type.
public enum JSONMapKey {
    public static func bool(_ key: String, at path: JSONPath) throws(JSONMappingError) -> Bool {
        switch key {
        case "true": return true
        case "false": return false
        default: throw JSONMappingError(path: path, reason: "map key \"\(key)\" is not true or false")
        }
    }

    public static func integer<T: FixedWidthInteger>(_ key: String, at path: JSONPath, as type: T.Type) throws(JSONMappingError) -> T {
        guard let value = T(key) else {
            throw JSONMappingError(path: path, reason: "map key \"\(key)\" is not a valid \(T.self)")
        }
        return value
    }
}
