public import Foundation
internal import Wire

extension RichQuery {
    /// Parses a Mango query: either `{"selector": {…}}` or a bare selector object.
    ///
    /// Supported: field equality, `$eq $ne $gt $gte $lt $lte $in $nin $exists`, `$and $or $not`,
    /// dotted paths (`"patient.org"`) and nested objects as implicit paths. Anything else is an
    /// `invalidQuery` error naming the operator or field.
    public init(json: Data) throws(LedgerError) {
        let document: JSONDocument
        do { document = try JSONDecoder().decode(JSONDocument.self, from: json) } catch {
            throw .invalidQuery("not JSON: \(error)")
        }
        guard case .object(var top) = document else { throw .invalidQuery("the query must be a JSON object") }
        if let selector = top["selector"] {
            top.removeValue(forKey: "selector")
            guard top.isEmpty else {
                throw .invalidQuery("unsupported query fields: \(top.keys.sorted().joined(separator: ", "))")
            }
            guard case .object(let object) = selector else { throw .invalidQuery("\"selector\" must be an object") }
            top = object
        }
        self.init(conditions: try Self.conditions(in: top, prefix: []))
    }

    static func conditions(in object: [String: JSONDocument], prefix: [String]) throws(LedgerError) -> [Condition] {
        var result: [Condition] = []
        for key in object.keys.sorted() {
            let operand = object[key]!
            if key.hasPrefix("$") {
                result.append(try combinator(key, operand, prefix: prefix))
            } else {
                let path = prefix + key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                guard !path.contains(where: \.isEmpty) else { throw .invalidQuery("empty path component in field \(QuotedInput.quote(key))") }
                result += try fieldConditions(path: path, operand)
            }
        }
        return result
    }

    static func combinator(_ name: String, _ operand: JSONDocument, prefix: [String]) throws(LedgerError) -> Condition {
        switch name {
        case "$and", "$or":
            guard case .array(let items) = operand, !items.isEmpty else {
                throw .invalidQuery("\(name) takes a non-empty array of selectors")
            }
            var parts: [Condition] = []
            for item in items {
                guard case .object(let object) = item else { throw .invalidQuery("\(name) takes selector objects") }
                parts.append(.and(try conditions(in: object, prefix: prefix)))
            }
            return name == "$and" ? .and(parts) : .or(parts)
        case "$not":
            guard case .object(let object) = operand else { throw .invalidQuery("$not takes a selector object") }
            return .not(.and(try conditions(in: object, prefix: prefix)))
        default:
            throw .invalidQuery("unsupported operator \(name)")
        }
    }

    static func fieldConditions(path: [String], _ operand: JSONDocument) throws(LedgerError) -> [Condition] {
        let field = path.joined(separator: ".")
        switch operand {
        case .array:
            throw .invalidQuery("field \(QuotedInput.quote(field)) compares to an array; use $in")
        case .object(let object) where object.keys.contains(where: { $0.hasPrefix("$") }):
            var result: [Condition] = []
            for name in object.keys.sorted() {
                let argument = object[name]!
                if let op = Operator(rawValue: name) {
                    guard let value = argument.scalar else {
                        throw .invalidQuery("\(name) on field \(QuotedInput.quote(field)) needs a string, number, boolean or null")
                    }
                    result.append(.compare(path: path, op: op, value: value))
                } else if name == "$in" || name == "$nin" {
                    guard case .array(let items) = argument else { throw .invalidQuery("\(name) on field \(QuotedInput.quote(field)) needs an array") }
                    var values: [SelectorValue] = []
                    for item in items {
                        guard let value = item.scalar else { throw .invalidQuery("\(name) on field \(QuotedInput.quote(field)) takes scalars only") }
                        values.append(value)
                    }
                    result.append(.isIn(path: path, values: values, negated: name == "$nin"))
                } else if name == "$exists" {
                    guard case .bool(let wanted) = argument else { throw .invalidQuery("$exists on field \(QuotedInput.quote(field)) needs true or false") }
                    result.append(.exists(path: path, wanted))
                } else {
                    throw .invalidQuery("unsupported operator \(name) on field \(QuotedInput.quote(field))")
                }
            }
            return result
        case .object(let object):
            return try conditions(in: object, prefix: path)
        default:
            return [.compare(path: path, op: .eq, value: operand.scalar!)]
        }
    }
}
