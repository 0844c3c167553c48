internal import Foundation
internal import GRDB
internal import LedgerCore

/// A `RichQuery` as a SQLite JSON1 condition over `state.value` with the in-memory Mango semantics
/// of `RichQuery.matches`: type-guarded comparisons (`json_type`), a missing field or an
/// object/array satisfying no comparison, null distinct from missing. Values are bound as
/// arguments; paths are SQL literals only when made of letters, digits, `_` and `-` (so that
/// declared expression indexes match), otherwise bound too.
///
/// The store still checks every candidate row with `RichQuery.matches`, so a difference between
/// SQLite's and Foundation's JSON parsers can only drop rows from the SQL side, never add them.
struct RichQuerySQL {
    /// The condition, or nil when a path cannot be written as a SQLite JSON path (a component
    /// holding `"` or NUL); the caller then filters every JSON object of the namespace in Swift.
    private(set) var condition: String?
    /// The caller's leading arguments followed by the condition's; placeholders are numbered
    /// (`?3`), so an expression can be used twice with one argument.
    private(set) var values: [any DatabaseValueConvertible]

    /// `value` as text; BLOB values are read as UTF-8 by the JSON functions either way.
    static let document = "CAST(value AS TEXT)"
    /// True for values that are JSON objects; the JSON functions raise errors on malformed JSON,
    /// so every use of them is behind `json_valid`.
    static let isObject = "(CASE WHEN json_valid(\(document)) THEN json_type(\(document)) END) = 'object'"
    private static let scalarTypes = "('null', 'true', 'false', 'integer', 'real', 'text')"

    /// Translates `query`; `leading` are the arguments of the caller's placeholders `?1`…`?n`.
    init(_ query: RichQuery, after leading: [any DatabaseValueConvertible]) {
        values = leading
        condition = translate(.and(query.conditions))
    }

    var arguments: StatementArguments { StatementArguments(values) }

    private mutating func bind(_ value: any DatabaseValueConvertible) -> String {
        values.append(value)
        return "?\(values.count)"
    }

    /// The extraction expression of a declared index on `path`; identical to the one queries use.
    static func indexedExpression(_ path: [String]) -> String? {
        literalPath(path).map { "(CASE WHEN json_valid(\(document)) THEN json_extract(\(document), \($0)) END)" }
    }

    /// `'$."a"."b"'` for components of safe characters only; nil otherwise.
    static func literalPath(_ path: [String]) -> String? {
        let safe = path.allSatisfy { component in
            component.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_" || $0 == "-" }
        }
        return safe ? "'" + jsonPath(path).replacingOccurrences(of: "'", with: "''") + "'" : nil
    }

    static func jsonPath(_ path: [String]) -> String {
        "$" + path.map { ".\"\($0)\"" }.joined()
    }

    private mutating func translate(_ condition: RichQuery.Condition) -> String? {
        switch condition {
        case .compare(let path, let op, let value):
            guard let (found, type) = operands(path) else { return nil }
            switch op {
            case .eq: return equal(found, type, value)
            case .ne: return "(\(type) IN \(Self.scalarTypes) AND NOT \(equal(found, type, value)))"
            case .gt, .gte, .lt, .lte:
                let symbol = [RichQuery.Operator.gt: ">", .gte: ">=", .lt: "<", .lte: "<="][op]!
                switch value {
                case .number(let number):
                    return "(\(type) IN ('integer', 'real') AND \(found) \(symbol) \(bind(number)))"
                case .string(let string):
                    return "(\(type) = 'text' AND \(found) \(symbol) \(text(string)))"
                case .bool, .null:
                    return "0"
                }
            }
        case .isIn(let path, let values, let negated):
            guard let (found, type) = operands(path) else { return nil }
            var alternatives: [String] = []
            for value in values { alternatives.append(equal(found, type, value)) }
            let any = alternatives.isEmpty ? "0" : "(" + alternatives.joined(separator: " OR ") + ")"
            return negated ? "(\(type) IN \(Self.scalarTypes) AND NOT \(any))" : any
        case .exists(let path, let wanted):
            guard let (_, type) = operands(path) else { return nil }
            return "(\(type) IS \(wanted ? "NOT NULL" : "NULL"))"
        case .and(let all):
            return combined(all, "AND", empty: "1")
        case .or(let any):
            return combined(any, "OR", empty: "0")
        case .not(let inner):
            // In a WHERE clause NULL acts as false, which is what a missing field means; under NOT
            // it must become an explicit false first.
            return translate(inner).map { "(NOT coalesce(\($0), 0))" }
        }
    }

    private mutating func combined(_ parts: [RichQuery.Condition], _ connective: String, empty: String) -> String? {
        var translated: [String] = []
        for part in parts {
            guard let sql = translate(part) else { return nil }
            translated.append(sql)
        }
        return translated.isEmpty ? empty : "(" + translated.joined(separator: " \(connective) ") + ")"
    }

    /// SQL for (the scalar found at the path, its JSON type), or nil if the path is unusable.
    private mutating func operands(_ path: [String]) -> (String, String)? {
        if let found = Self.indexedExpression(path), let literal = Self.literalPath(path) {
            return (found, "(CASE WHEN json_valid(\(Self.document)) THEN json_type(\(Self.document), \(literal)) END)")
        }
        guard !path.contains(where: { $0.contains("\"") || $0.contains("\0") }) else { return nil }
        let placeholder = bind(Self.jsonPath(path))
        return (
            "(CASE WHEN json_valid(\(Self.document)) THEN json_extract(\(Self.document), \(placeholder)) END)",
            "(CASE WHEN json_valid(\(Self.document)) THEN json_type(\(Self.document), \(placeholder)) END)"
        )
    }

    /// A text operand. GRDB binds a `String` only up to its first NUL, so such strings go in as
    /// bytes cast to TEXT; others are bound plainly, since a CAST would give the comparison TEXT
    /// affinity and keep SQLite from using a declared index.
    private mutating func text(_ string: String) -> String {
        string.utf8.contains(0) ? "CAST(\(bind(SQLBytes.argument(string))) AS TEXT)" : bind(string)
    }

    /// Exact equality with a scalar: same JSON type, same value (numbers numerically).
    private mutating func equal(_ found: String, _ type: String, _ value: SelectorValue) -> String {
        switch value {
        case .null: return "(\(type) = 'null')"
        case .bool(let flag): return "(\(type) = '\(flag ? "true" : "false")')"
        case .number(let number):
            return "(\(type) IN ('integer', 'real') AND \(found) = \(bind(number)))"
        case .string(let string):
            return "(\(type) = 'text' AND \(found) = \(text(string)))"
        }
    }
}
