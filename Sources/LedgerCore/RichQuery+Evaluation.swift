public import Foundation

extension RichQuery {
    /// True if `value` is a JSON object that satisfies every condition.
    public func matches(_ value: Data) -> Bool {
        guard case .object(let object)? = try? JSONDecoder().decode(JSONDocument.self, from: value) else {
            return false
        }
        return conditions.allSatisfy { $0.holds(in: object) }
    }
}

extension RichQuery.Condition {
    func holds(in object: [String: JSONDocument]) -> Bool {
        switch self {
        case .compare(let path, let op, let expected):
            guard let found = SelectorValue.lookup(path, in: object) else { return false }
            return op.holds(found, expected)
        case .isIn(let path, let values, let negated):
            guard let found = SelectorValue.lookup(path, in: object) else { return false }
            return values.contains { found.isIdentical(to: $0) } != negated
        case .exists(let path, let wanted):
            return (SelectorValue.lookupAny(path, in: object) != nil) == wanted
        case .and(let all):
            return all.allSatisfy { $0.holds(in: object) }
        case .or(let any):
            return any.contains { $0.holds(in: object) }
        case .not(let inner):
            return !inner.holds(in: object)
        }
    }
}

extension RichQuery.Operator {
    /// Mango semantics: a missing field (or an object/array at the path) satisfies no comparison,
    /// not even `$ne`/`$nin`; numbers order with numbers, strings with strings (by UTF-8 bytes);
    /// booleans and null compare only for (in)equality; values of different types are never ordered.
    func holds(_ found: SelectorValue, _ expected: SelectorValue) -> Bool {
        switch self {
        case .eq: return found.isIdentical(to: expected)
        case .ne: return !found.isIdentical(to: expected)
        case .gt, .gte, .lt, .lte:
            let order: Int
            switch (found, expected) {
            case (.number(let a), .number(let b)): order = a < b ? -1 : (a == b ? 0 : 1)
            case (.string(let a), .string(let b)):
                order = a.utf8.elementsEqual(b.utf8) ? 0 : (StateKeyOrder.precedes(a, b) ? -1 : 1)
            default: return false
            }
            switch self {
            case .gt: return order > 0
            case .gte: return order >= 0
            case .lt: return order < 0
            default: return order <= 0
            }
        }
    }
}

extension SelectorValue {
    /// The scalar at `path`, or nil if the path is missing or names an object or array.
    static func lookup(_ path: [String], in object: [String: JSONDocument]) -> SelectorValue? {
        lookupAny(path, in: object)?.scalar
    }

    static func lookupAny(_ path: [String], in object: [String: JSONDocument]) -> JSONDocument? {
        var current = JSONDocument.object(object)
        for component in path {
            guard case .object(let dictionary) = current, let next = dictionary[component] else { return nil }
            current = next
        }
        return current
    }
}

extension JSONDocument {
    /// The document as a selector operand, if it is a scalar.
    var scalar: SelectorValue? {
        switch self {
        case .null: .null
        case .bool(let value): .bool(value)
        case .integer(let value): .number(Double(value))
        case .number(let value): .number(value)
        case .string(let value): .string(value)
        case .array, .object: nil
        }
    }
}

extension SelectorValue {
    /// Equality as SQLite sees it: strings by their UTF-8 bytes, not by Unicode canonical
    /// equivalence (Swift's `==` would call "K" and the Kelvin sign equal).
    func isIdentical(to other: SelectorValue) -> Bool {
        switch (self, other) {
        case (.string(let a), .string(let b)): a.utf8.elementsEqual(b.utf8)
        default: self == other
        }
    }
}
