internal import Foundation
internal import Wire

/// Why a contract's JSON argument is not what a function takes, said precisely: not JSON at all
/// (and where), JSON but not an object, or an object with a number out of range (and which
/// field) — instead of Foundation's "not valid JSON" for all three.
enum JSONArgument {
    /// The refusal for `text`, which Foundation could not take as the JSON object `what`
    /// (e.g. "the argument of GrantConsent"); nil if `text` is a JSON object whose numbers all
    /// fit, i.e. the fault is elsewhere.
    static func refusal(_ text: String, what: String, integersOnly: Bool) -> String? {
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch { return "\(what) is not valid JSON (\(error.reason))" }
        guard case .object = value else { return "\(what) must be a JSON object, not \(kind(of: value))" }
        guard let (path, literal) = firstNumberOutOfRange(in: value, path: "", integersOnly: integersOnly) else { return nil }
        let range = integersOnly ? "a whole number from -9223372036854775808 to 9223372036854775807" : "a number a double can hold"
        return "field \"\(path)\" must be \(range); got \(QuotedInput.quote(literal, limit: 40))"
    }

    /// The first number under `value` (depth first, in document order) that is not an Int64, or
    /// with `integersOnly` false, that overflows a Double.
    static func firstNumberOutOfRange(in value: JSONValue, path: String, integersOnly: Bool) -> (path: String, literal: String)? {
        switch value {
        case .number(let literal):
            let fits = integersOnly ? Int64(literal) != nil : Double(literal)?.isFinite == true
            return fits ? nil : (path, literal)
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let found = firstNumberOutOfRange(in: element, path: "\(path)[\(index)]", integersOnly: integersOnly) { return found }
            }
            return nil
        case .object(let object):
            for member in object.members {
                let child = path.isEmpty ? member.name : "\(path).\(member.name)"
                if let found = firstNumberOutOfRange(in: member.value, path: child, integersOnly: integersOnly) { return found }
            }
            return nil
        case .null, .bool, .string:
            return nil
        }
    }

    private static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "true or false"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
