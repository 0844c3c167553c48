/// A parsed JSON value. Numbers keep their literal text so 64-bit integers never pass through a
/// `Double` and lose precision.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number exactly as written, validated against the JSON grammar.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// A JSON object with its members in document order; duplicate names are rejected by the parser.
public struct JSONObject: Sendable, Equatable {
    public var members: [(name: String, value: JSONValue)]

    public init(members: [(name: String, value: JSONValue)] = []) {
        self.members = members
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}

/// Where in a JSON document a value sits, e.g. `medledger.v1.Block.data.transactions[2]`.
public struct JSONPath: Sendable, Equatable, CustomStringConvertible {
    public private(set) var components: [String]

    public init(root: String) { components = [root] }

    public func appending(_ field: String) -> JSONPath {
        var copy = self
        copy.components.append("." + field)
        return copy
    }

    public func appending(index: Int) -> JSONPath {
        var copy = self
        copy.components.append("[\(index)]")
        return copy
    }

    public func appending(key: String) -> JSONPath {
        var copy = self
        copy.components.append("[\"\(key)\"]")
        return copy
    }

    public var description: String { components.joined() }
}

/// Why a JSON document does not map to the expected message, naming the offending field.
public struct JSONMappingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: JSONPath?
    public var reason: String

    public init(path: JSONPath?, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        guard let path else { return reason }
        return "\(path): \(reason)"
    }
}
